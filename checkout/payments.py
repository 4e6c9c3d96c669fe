"""Money for an order after it is placed: capture on approval, release on
rejection, refund on a cancellation after capture. Card work goes through
stripe_gateway; an invoice order is never charged online."""

from decimal import Decimal

from oscar.apps.order.models import Order, PaymentEvent, PaymentEventType
from oscar.apps.payment.models import Source

from checkout import stripe_gateway

CARD_SOURCE = "Card (Stripe)"
INVOICE_SOURCE = "Invoice"


def _card_source(order: Order) -> Source | None:
    return order.sources.filter(source_type__name=CARD_SOURCE).first()


def _event(order: Order, name: str, amount: Decimal, reference: str) -> None:
    event_type, _ = PaymentEventType.objects.get_or_create(name=name)
    PaymentEvent.objects.create(
        order=order, event_type=event_type, amount=amount, reference=reference
    )


def order_payment_take(*, order: Order) -> str:
    """Capture the card authorisation, or issue the invoice. Returns a note."""
    source = _card_source(order)
    if source is None:
        _event(order, "Invoice issued", order.total_incl_tax, f"INV-{order.number}")
        return f"Invoice INV-{order.number} issued for {order.total_incl_tax}"
    captured = stripe_gateway.payment_capture(
        payment_intent_id=source.reference, amount=order.total_incl_tax
    )
    source.debit(captured, reference=source.reference)
    _event(order, "Captured", captured, source.reference)
    return f"Card payment of {captured} captured"


def order_payment_release(*, order: Order) -> str:
    """Lift the hold on the card (or void the invoice) for an unshipped order."""
    source = _card_source(order)
    if source is None:
        return "Invoice voided; nothing was charged"
    if source.amount_debited:
        stripe_gateway.payment_refund(payment_intent_id=source.reference)
        source.refund(source.amount_debited, reference=source.reference)
        _event(order, "Refunded", source.amount_debited, source.reference)
        return "Card payment refunded"
    stripe_gateway.payment_release(payment_intent_id=source.reference)
    _event(order, "Authorisation released", Decimal("0.00"), source.reference)
    return "Card authorisation released; nothing was charged"
