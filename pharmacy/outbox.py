"""Email through an outbox.

``OutboxBackend`` is a Django email backend that sends nothing: it writes each
message to the OutboundEmail table, in the caller's transaction, and queues
its delivery for after the commit. A rolled-back change leaves no email; a
committed one leaves an email that is delivered, retried, or shown to staff as
failed, never lost. Delivery goes through EMAIL_DELIVERY_BACKEND (or
EMAIL_BACKEND), outside any transaction.
"""

import datetime
import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.utils import timezone

from pharmacy.models import OutboundEmail

logger = logging.getLogger(__name__)

# A worker that took an email this long ago and never finished has died.
CLAIM_TIMEOUT = datetime.timedelta(minutes=10)
RETRY_BACKOFF_MAX = 3600


class OutboxBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        for message in email_messages:
            email_enqueue(message=message)
        return len(email_messages)


def email_enqueue(*, message) -> OutboundEmail:
    """Record one EmailMessage and deliver it once the transaction commits."""
    html = next(
        (
            content
            for content, kind in getattr(message, "alternatives", [])
            if kind == "text/html"
        ),
        "",
    )
    email = OutboundEmail.objects.create(
        from_email=message.from_email or settings.DEFAULT_FROM_EMAIL,
        to=list(message.to),
        cc=list(message.cc),
        bcc=list(message.bcc),
        reply_to=list(message.reply_to),
        headers=dict(message.extra_headers),
        subject=message.subject,
        body=message.body,
        html=html,
    )
    transaction.on_commit(lambda: email_deliver_later(email_id=email.pk))
    return email


def email_deliver_later(*, email_id: int) -> None:
    from pharmacy import tasks

    try:
        tasks.email_deliver.delay(email_id)
    except Exception:
        # The broker is down: the row stays pending and the sweep sends it.
        logger.exception("Email %s: could not queue its delivery", email_id)


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
    if backend == f"{OutboxBackend.__module__}.{OutboxBackend.__name__}":
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


def emails_retry(*, email_ids) -> int:
    """Staff asked to try failed emails again: a fresh set of tries each."""
    ids = list(
        OutboundEmail.objects.filter(
            pk__in=email_ids, status=OutboundEmail.Status.FAILED
        ).values_list("pk", flat=True)
    )
    OutboundEmail.objects.filter(pk__in=ids).update(
        status=OutboundEmail.Status.PENDING,
        attempts=0,
        claimed_at=None,
        next_try_at=None,
    )
    for email_id in ids:
        transaction.on_commit(
            lambda email_id=email_id: email_deliver_later(email_id=email_id)
        )
    return len(ids)
