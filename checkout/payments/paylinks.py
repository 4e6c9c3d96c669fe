"""Links emailed to a customer that open a payment page for their order: a
signed order number with a timestamp, so the link expires and carries no
health data. Used to pay again after a failed capture (repayment.py) and to
pay an invoice by card (invoice_cards.py)."""

from django.conf import settings
from django.core import signing
from oscar.apps.order.models import Order

from checkout.payments import stripe_gateway
from pharmacy.core.links import absolute_reverse

INVOICE_SALT = "checkout.invoice-card"


def order_token(*, order: Order, salt: str) -> str:
    return signing.TimestampSigner(salt=salt).sign(order.number)


def token_order(*, token: str, salt: str, days: int) -> Order | None:
    """The order a link is for, while its signature is good and it is under
    ``days`` old; else None."""
    try:
        number = signing.TimestampSigner(salt=salt).unsign(
            token, max_age=days * 24 * 3600
        )
    except signing.BadSignature:
        return None
    return Order.objects.filter(number=number).first()


def invoice_card_url(*, order: Order) -> str:
    """The "Pay by card" link for an invoice, or "" when Stripe is not set
    up (the customer then pays by bank transfer only)."""
    if not stripe_gateway.is_enabled():
        return ""
    token = order_token(order=order, salt=INVOICE_SALT)
    return absolute_reverse("checkout:invoice-card", kwargs={"token": token})


def invoice_card_order(*, token: str) -> Order | None:
    return token_order(
        token=token, salt=INVOICE_SALT, days=settings.INVOICE_CARD_LINK_DAYS
    )
