from django.apps import AppConfig


class RefillsConfig(AppConfig):
    name = "checkout.dispensing.refills"
    label = "refills"
    verbose_name = "Refills and transfers"
    default_auto_field = "django.db.models.AutoField"
