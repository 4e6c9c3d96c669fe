"""The task queue (Celery) and the periodic jobs: docs/operations.md."""

import environ

env = environ.Env()

# Production runs a worker and beat beside gunicorn (see `make serve`) with
# Redis as the broker. Without REDIS_URL every task runs at once, in the
# process that queued it, so `make run` needs no worker.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=env("REDIS_URL", default=""))
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
if not CELERY_BROKER_URL:
    CELERY_BROKER_URL = "memory://localhost/"
CELERY_TASK_IGNORE_RESULT = True
# A task is acknowledged when done, so a worker killed mid-task leaves it queued.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Emails: tries in all, backing off 30 s, 60 s, 120 s ... up to 1 hour apart.
EMAIL_MAX_TRIES = env.int("EMAIL_MAX_TRIES", default=8)
EMAIL_RETRY_BACKOFF_SECONDS = env.int("EMAIL_RETRY_BACKOFF_SECONDS", default=30)
# The backend the outbox delivers through; EMAIL_BACKEND when unset.
EMAIL_DELIVERY_BACKEND = env("EMAIL_DELIVERY_BACKEND", default="")

# The one schedule of periodic jobs (run by `celery beat`; docs/operations.md).
CELERY_BEAT_SCHEDULE = {
    "reconcile-payments": {
        "task": "checkout.payments.tasks.reconcile_payments",
        "schedule": 15 * 60,
    },
    # Prescription uploads whose checking task was lost (upload_finishing.py).
    "finish-stale-uploads": {
        "task": "checkout.dispensing.tasks.stale_uploads_finish",
        "schedule": 10 * 60,
    },
    "send-pending-emails": {
        "task": "pharmacy.core.tasks.emails_sweep",
        "schedule": 5 * 60,
    },
    # Jobs other modules provide as management commands; the task does nothing
    # (and logs why) while the command does not exist.
    "cleanup-abandoned-uploads": {
        "task": "pharmacy.core.tasks.management_command",
        "schedule": 60 * 60,
        "args": ["cleanup_abandoned_uploads"],
    },
    "stock-counts-sync": {
        "task": "pharmacy.core.tasks.management_command",
        "schedule": 24 * 60 * 60,
        "args": ["stock_counts_sync"],
    },
    "send-refill-reminders": {
        "task": "pharmacy.core.tasks.management_command",
        "schedule": 24 * 60 * 60,
        "args": ["send_refill_reminders"],
    },
}
