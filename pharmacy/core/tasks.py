"""Tasks every part of the store shares: email delivery, the sweep that
re-queues emails whose task was lost, and running another module's
management command on the periodic schedule (settings.CELERY_BEAT_SCHEDULE)."""

import datetime
import logging

from celery import shared_task
from django.conf import settings
from django.core.management import call_command, get_commands

from pharmacy.core import email_delivery

logger = logging.getLogger(__name__)


@shared_task(
    autoretry_for=(Exception,),
    retry_backoff=settings.EMAIL_RETRY_BACKOFF_SECONDS,
    retry_backoff_max=email_delivery.RETRY_BACKOFF_MAX,
    retry_jitter=False,
    max_retries=settings.EMAIL_MAX_TRIES - 1,
)
def email_deliver(email_id: int) -> bool:
    return email_delivery.email_deliver(email_id=email_id)


@shared_task
def emails_sweep() -> int:
    """Queue again every email whose delivery seems lost."""
    ids = email_delivery.emails_pending(grace=datetime.timedelta(minutes=2))
    for email_id in ids:
        email_deliver_later(email_id=email_id)
    return len(ids)


@shared_task
def management_command(name: str) -> None:
    """A periodic job written as a management command (see the schedule)."""
    if name not in get_commands():
        logger.warning("Periodic job %s: no such management command yet", name)
        return
    call_command(name)


def email_deliver_later(*, email_id: int) -> None:
    try:
        email_deliver.delay(email_id)
    except Exception:
        # The broker is down: the row stays pending and the sweep sends it.
        logger.exception("Email %s: could not queue its delivery", email_id)
