"""Emails that are not about one order: account emails (registration,
activation) and customer emails through Oscar's communication templates
(refill reminders, transfer decisions). Customer emails go through the
outbox (outbox.py), so nothing here waits for a mail server; account emails
go through EMAIL_BACKEND, which may be the outbox too (docs/operations.md)."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from oscar.apps.communication.utils import Dispatcher

from pharmacy.core.outbox import OutboxBackend

logger = logging.getLogger(__name__)


def account_email_send(*, to: str, subject: str, body: str) -> None:
    """Send an account email (registration, activation). Never raises: the
    page a visitor sees must not depend on whether a mail went out."""
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to])
    except Exception:
        logger.exception("Could not send an account email")


def customer_email_send(*, user, code: str, **context) -> None:
    """Send a customer the email of Oscar's communication type ``code``.
    Never raises; a failure is logged."""
    dispatcher = Dispatcher(logger=logger, mail_connection=OutboxBackend())
    ctx = {"user": user, "pharmacy": settings.PHARMACY, **context}
    try:
        messages = dispatcher.get_messages(code, ctx)
        dispatcher.dispatch_user_messages(user, messages)
    except Exception:
        logger.exception("Could not send the %s email to user %s", code, user.pk)
