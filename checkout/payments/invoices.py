"""Invoice orders: when an invoice is due, what is still owed and how to pay
it, the payments staff record against it, and whether dispatch waits for it.

The invoice is issued when the pharmacist approves (actions.py moves the
payment to INVOICED, with the due date fixed then); money received is
recorded by the workflow's "payment received" action, which calls
``invoice_payment_record`` with the order locked. Once what was received
reaches the invoice's amount, the payment is INVOICE_PAID.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Sum
from django.utils import timezone

from checkout.payments import ledger, paylinks
from checkout.payments.models import InvoicePaymentReceived, OrderPayment
from checkout.payments.states import PaymentState


class InvoicePaymentRefused(Exception):
    """Nothing was recorded. The message says why, for staff."""


@dataclass(frozen=True)
class Received:
    """A payment as staff type it in."""

    amount: Decimal
    received_on: datetime.date
    method: str  # InvoicePaymentReceived.Method
    reference: str = ""


@dataclass(frozen=True)
class InvoiceTerms:
    """What the customer is told about an unpaid invoice: the email and the
    order's status page show these, so they say the same."""

    number: str
    amount_due: Decimal
    currency: str
    due_on: datetime.date
    bank: dict  # settings.INVOICE_BANK
    reference: str  # the order number: what the customer writes on the payment
    dispatch_waits: bool  # the order is sent once the invoice is paid
    card_url: str  # "Pay by card" (our page, then Stripe's); "" without Stripe


def invoice_number(*, order) -> str:
    return f"INV-{order.number}"


def invoice_due_on(*, issued: datetime.date) -> datetime.date:
    return issued + datetime.timedelta(days=settings.INVOICE_DUE_DAYS)


def amount_received(payment: OrderPayment) -> Decimal:
    total = payment.received.aggregate(total=Sum("amount"))["total"]
    return total or Decimal("0.00")


def amount_due(payment: OrderPayment) -> Decimal:
    return payment.amount - amount_received(payment)


def invoice_terms(*, order) -> InvoiceTerms | None:
    """The terms of the order's invoice while it is issued and unpaid; else
    None (a card order, an invoice not issued yet, paid or voided)."""
    payment = ledger.payment_loaded(order)
    if payment is None or payment.state != PaymentState.INVOICED:
        return None
    return InvoiceTerms(
        number=invoice_number(order=order),
        amount_due=amount_due(payment),
        currency=payment.currency,
        due_on=payment.invoice_due_on
        or invoice_due_on(issued=timezone.localdate(payment.updated_at)),
        bank=settings.INVOICE_BANK,
        reference=order.number,
        dispatch_waits=settings.INVOICE_DISPATCH_WAITS_FOR_PAYMENT,
        card_url=paylinks.invoice_card_url(order=order),
    )


def invoice_payment_record(
    *, order, payment: OrderPayment, received: Received, actor
) -> str:
    """Record money received against the order's invoice (``payment`` locked
    with the order, by the workflow action); the invoice is paid once the
    amount is reached. Returns the line for the order's history."""
    due = amount_due(payment)
    if received.amount is None or received.amount <= 0:
        raise InvoicePaymentRefused("Please enter the amount received.")
    if received.amount > due:
        raise InvoicePaymentRefused(
            f"{received.amount} is more than the {due} {payment.currency} still "
            f"due on invoice {invoice_number(order=order)}."
        )
    if received.received_on > timezone.localdate():
        raise InvoicePaymentRefused("The date received can't be in the future.")
    row = InvoicePaymentReceived.objects.create(
        payment=payment,
        amount=received.amount,
        received_on=received.received_on,
        method=received.method,
        reference=received.reference.strip(),
        recorded_by=actor,
    )
    ledger.payment_event(
        order,
        name="Invoice payment received",
        amount=received.amount,
        reference=row.reference or invoice_number(order=order),
    )
    left = due - received.amount
    if left == 0:
        ledger.payment_move(payment, PaymentState.INVOICE_PAID)
    method = InvoicePaymentReceived.Method(received.method).label.lower()
    note = (
        f"{received.amount} {payment.currency} received by {method} on "
        f"{received.received_on:%Y-%m-%d}"
        + (f" (reference {row.reference})" if row.reference else "")
        + "; "
    )
    return note + (
        "the invoice is paid." if left == 0 else f"{left} {payment.currency} still due."
    )


def dispatch_refusals(*, order) -> list[str]:
    """What stops the order leaving for want of payment: an invoice not yet
    paid, while INVOICE_DISPATCH_WAITS_FOR_PAYMENT says dispatch waits."""
    if not settings.INVOICE_DISPATCH_WAITS_FOR_PAYMENT:
        return []
    payment = ledger.payment_of(order)
    if payment.is_card or payment.state == PaymentState.INVOICE_PAID:
        return []
    return [
        f"Invoice {invoice_number(order=order)} is not paid yet "
        f"({amount_due(payment)} {payment.currency} due): record the payment "
        "before dispatch."
    ]
