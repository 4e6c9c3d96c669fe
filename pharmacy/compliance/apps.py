from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    name = "pharmacy.compliance"
    label = "compliance"
    verbose_name = "Licences and policies"
    default_auto_field = "django.db.models.AutoField"

    def ready(self) -> None:
        from pharmacy.compliance.models import StateLicence
        from pharmacy.core import cache

        # Checkout steps read the licensed states through the catalogue cache.
        cache.bumped_by_writes(StateLicence)
