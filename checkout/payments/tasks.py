"""The payments' periodic work, run by the Celery worker on beat's schedule
(settings.CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from checkout.payments import reconciliation


@shared_task
def reconcile_payments() -> dict[str, int]:
    return reconciliation.payments_reconcile()
