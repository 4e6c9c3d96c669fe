"""The Celery app: settings come from Django's (the CELERY_ names). Each
installed app's tasks.py is found on its own; the rooms inside the checkout
app (payments, dispensing) are named here, as they are packages, not apps."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pharmacy.settings.dev")

app = Celery("pharmacy")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.autodiscover_tasks(["checkout.payments", "checkout.dispensing"])
