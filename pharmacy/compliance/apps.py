from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    name = "pharmacy.compliance"
    label = "compliance"
    verbose_name = "Licences and policies"
    default_auto_field = "django.db.models.AutoField"
