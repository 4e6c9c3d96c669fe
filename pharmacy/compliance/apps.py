from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    name = "pharmacy.compliance"
    label = "compliance"
    verbose_name = "Licences and policies"
    default_auto_field = "django.db.models.AutoField"

    def ready(self):
        from pharmacy.compliance.models import StateLicence
        from pharmacy.core import cache

        # Checkout steps read the licensed states through the cache.
        cache.rows_watch(StateLicence)
