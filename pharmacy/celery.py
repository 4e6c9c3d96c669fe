"""The Celery app: settings come from Django's (the CELERY_ names), and each
installed app's tasks.py is found on its own."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pharmacy.settings.dev")

app = Celery("pharmacy")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
