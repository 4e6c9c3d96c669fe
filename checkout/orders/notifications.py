"""Customer emails about an order, through Oscar's communication event types.

Templates live in templates/oscar/communication/emails/commtype_<code>_*.txt and
carry the pharmacy's details. They never include health data: no date of
birth, no prescription, no pharmacist's notes beyond the rejection reason
written for the customer.

Nothing here talks to a mail server: each email is written to the outbox
(pharmacy/core/outbox.py) in the caller's transaction and a task delivers it after
the commit. Call these inside the transaction that makes the change.
"""

import logging

from django.conf import settings
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.urls import reverse
from oscar.apps.order.utils import OrderDispatcher

from checkout.payments import invoices
from pharmacy.core.outbox import OutboxBackend

logger = logging.getLogger(__name__)


def order_status_path(*, order) -> str:
    if order.user_id:
        return reverse("customer:order", kwargs={"order_number": order.number})
    return reverse(
        "customer:anon-order",
        kwargs={"order_number": order.number, "hash": order.verification_hash()},
    )


def order_email_send(*, order, code: str, **context) -> None:
    """Queue one of the order emails. Never raises: a broken template must not
    undo an order or a pharmacist's decision; it is logged instead."""
    dispatcher = OrderDispatcher(logger=logger, mail_connection=OutboxBackend())
    # The templates read the lines and the totals read the surcharges twice.
    prefetch_related_objects([order], "lines", "surcharges")
    ctx = {
        "order": order,
        "lines": order.lines.all(),
        "status_path": order_status_path(order=order),
        "pharmacy": settings.PHARMACY,
        # An unpaid invoice's amount, due date and how to pay, as the order's
        # status page shows them.
        "invoice": invoices.invoice_terms(order=order),
        **context,
    }
    try:
        with transaction.atomic():
            # As Oscar's own order-placed email: render, then dispatch.
            messages = dispatcher.dispatcher.get_messages(code, ctx)
            dispatcher.dispatch_order_messages(order, messages, code)
    except Exception:
        logger.exception("Order %s: could not send the %s email", order.number, code)
