from django.apps import AppConfig


class EprescribingConfig(AppConfig):
    name = "checkout.dispensing.eprescribing"
    label = "eprescribing"
    verbose_name = "E-prescriptions"
    default_auto_field = "django.db.models.AutoField"
