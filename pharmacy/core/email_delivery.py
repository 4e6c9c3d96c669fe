"""Delivering one email from the outbox: claimed by one worker, sent through
EMAIL_DELIVERY_BACKEND (or EMAIL_BACKEND) outside any transaction, and on
failure retried with a doubling back-off until EMAIL_MAX_TRIES, then shown to
staff as failed. The Celery tasks in tasks.py call these."""

import datetime
import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.utils import timezone

from pharmacy.core.models import OutboundEmail

logger = logging.getLogger(__name__)

# A worker that took an email this long ago and never finished has died.
CLAIM_TIMEOUT = datetime.timedelta(minutes=10)
RETRY_BACKOFF_MAX = 3600
# The outbox's own backend, which a delivery must never go through.
OUTBOX_BACKEND = "pharmacy.core.outbox.OutboxBackend"


def _message(email: OutboundEmail) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body,
        from_email=email.from_email,
        to=email.to,
        cc=email.cc,
        bcc=email.bcc,
        reply_to=email.reply_to,
        headers=email.headers,
    )
    if email.html:
        message.attach_alternative(email.html, "text/html")
    return message


def _connection():
    backend = settings.EMAIL_DELIVERY_BACKEND or settings.EMAIL_BACKEND
    if backend == OUTBOX_BACKEND:
        raise RuntimeError("EMAIL_DELIVERY_BACKEND must be a real backend")
    return get_connection(backend, fail_silently=False)


def _claim(email_id: int) -> OutboundEmail | None:
    """Take the email for this worker, so two workers never both send it."""
    now = timezone.now()
    claimable = OutboundEmail.objects.filter(pk=email_id).filter(
        status=OutboundEmail.Status.PENDING
    ) | OutboundEmail.objects.filter(
        pk=email_id,
        status=OutboundEmail.Status.SENDING,
        claimed_at__lt=now - CLAIM_TIMEOUT,
    )
    if not claimable.update(status=OutboundEmail.Status.SENDING, claimed_at=now):
        return None
    return OutboundEmail.objects.get(pk=email_id)


def retry_delay(*, tries: int) -> datetime.timedelta:
    """How long after the ``tries``-th failure the next try comes: doubling
    from EMAIL_RETRY_BACKOFF_SECONDS, at most an hour (Celery's retry_backoff)."""
    seconds = settings.EMAIL_RETRY_BACKOFF_SECONDS * 2 ** max(tries - 1, 0)
    return datetime.timedelta(seconds=min(seconds, RETRY_BACKOFF_MAX))


def email_deliver(*, email_id: int) -> bool:
    """Send one email now. True when sent (or nothing left to do). On failure
    the error is recorded and the email goes back to pending, or to failed
    after EMAIL_MAX_TRIES tries; the exception is raised again so the task
    retries it."""
    email = _claim(email_id)
    if email is None:
        return True
    try:
        _connection().send_messages([_message(email)])
    except Exception as exc:
        tries = email.attempts + 1
        last_try = tries >= settings.EMAIL_MAX_TRIES
        OutboundEmail.objects.filter(pk=email_id).update(
            status=OutboundEmail.Status.FAILED
            if last_try
            else OutboundEmail.Status.PENDING,
            attempts=tries,
            last_error=f"{type(exc).__name__}: {exc}"[:2000],
            claimed_at=None,
            next_try_at=None if last_try else timezone.now() + retry_delay(tries=tries),
        )
        logger.warning(
            "Email %s: try %s failed (%s)", email_id, email.attempts + 1, exc
        )
        if last_try:
            return False
        raise
    OutboundEmail.objects.filter(pk=email_id).update(
        status=OutboundEmail.Status.SENT,
        attempts=email.attempts + 1,
        sent_at=timezone.now(),
        claimed_at=None,
        next_try_at=None,
    )
    return True


def emails_pending(*, grace: datetime.timedelta) -> list[int]:
    """Emails whose delivery task may have been lost (broker down, worker
    killed): pending for ``grace`` past when they were due, or stuck sending."""
    now = timezone.now()
    Status = OutboundEmail.Status
    pending = (
        OutboundEmail.objects.filter(
            status=Status.PENDING, next_try_at__isnull=True, created_at__lt=now - grace
        )
        | OutboundEmail.objects.filter(
            status=Status.PENDING, next_try_at__lt=now - grace
        )
        | OutboundEmail.objects.filter(
            status=Status.SENDING, claimed_at__lt=now - CLAIM_TIMEOUT
        )
    )
    return list(pending.values_list("pk", flat=True)[:500])
