"""Paying an invoice by card: the "Pay by card" link (paylinks.py) opens a
Stripe Checkout Session for what is still due, charged at once because the
pharmacist has already approved the order. Stripe's answer is recorded by
fulfilment.invoice_card_fulfil, as money received against the invoice."""

from django.db import transaction
from oscar.apps.order.models import Order

from checkout.payments import invoices, ledger, stripe_gateway
from checkout.payments.models import OrderPayment
from checkout.payments.states import PaymentState

PURPOSE = "invoice"


class InvoiceCardRefused(Exception):
    """No payment was started or recorded. The message is safe to show the
    customer."""


def invoice_card_refusal(*, order: Order, payment: OrderPayment | None) -> str:
    """Why the order's invoice can't be paid by card now, or ""."""
    if payment is not None and payment.state == PaymentState.INVOICE_PAID:
        return f"Invoice {invoices.invoice_number(order=order)} is paid. Thank you."
    if payment is None or payment.state != PaymentState.INVOICED:
        return f"Order {order.number} has no invoice waiting for payment."
    if not stripe_gateway.is_enabled():
        return "Card payments are not available just now: please pay by bank transfer."
    return ""


def invoice_card_start(*, order: Order, success_url: str, cancel_url: str) -> str:
    """A new Checkout Session for exactly what is still due on the order's
    invoice. Returns Stripe's URL to send the customer to."""
    with transaction.atomic():
        payment = ledger.payment_of(order, lock=True)
        refusal = invoice_card_refusal(order=order, payment=payment)
        if refusal:
            raise InvoiceCardRefused(refusal)
        payment.retry_count += 1
        payment.save(update_fields=["retry_count", "updated_at"])
        number, due = payment.retry_count, invoices.amount_due(payment)
    _, url = stripe_gateway.checkout_session_create(
        order_number=order.number,
        attempt=f"invoice-{number}",
        amount=due,
        currency=payment.currency,
        customer_email=order.user.email if order.user_id else order.guest_email,
        success_url=success_url,
        cancel_url=cancel_url,
        idempotency_key=f"invoice-card-{order.number}-{number}",
        capture_now=True,
        purpose=PURPOSE,
    )
    return url
