"""Email through an outbox.

``OutboxBackend`` is a Django email backend that sends nothing: it writes each
message to the OutboundEmail table, in the caller's transaction, and queues
its delivery for after the commit. A rolled-back change leaves no email; a
committed one leaves an email that is delivered, retried, or shown to staff as
failed, never lost. Delivery goes through EMAIL_DELIVERY_BACKEND (or
EMAIL_BACKEND), outside any transaction.
"""

import logging

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction

from pharmacy.core import tasks
from pharmacy.core.models import OutboundEmail

logger = logging.getLogger(__name__)


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
    transaction.on_commit(lambda: tasks.email_deliver_later(email_id=email.pk))
    return email


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
            lambda email_id=email_id: tasks.email_deliver_later(email_id=email_id)
        )
    return len(ids)
