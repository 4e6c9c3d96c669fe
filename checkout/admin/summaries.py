"""Words the queue and the review page show about an order's money and lines.

Each helper reads only what the caller loaded (the queue prefetches), so the
queue costs the same number of queries for 1 order as for 100.
"""

import datetime

from django.utils import timezone
from oscar.apps.payment.models import Source

from checkout import payments
from checkout.models import OrderStatus

# A card authorisation made through Stripe Checkout can be captured for 7 days.
AUTHORISATION_LIFETIME = datetime.timedelta(days=7)
HELD = (
    OrderStatus.AWAITING_REVIEW,
    OrderStatus.ON_HOLD,
    OrderStatus.PRESCRIPTION_REQUESTED,
    OrderStatus.APPROVED,
)


def card_source(order) -> Source | None:
    return next(
        (s for s in order.sources.all() if s.source_type.name == payments.CARD_SOURCE),
        None,
    )


def duration(delta: datetime.timedelta) -> str:
    days, hours = delta.days, delta.seconds // 3600
    parts = []
    if days:
        parts.append(f"{days} day{'s' if days != 1 else ''}")
    if hours or not days:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    return " ".join(parts)


def authorisation_summary(order, *, now: datetime.datetime | None = None) -> str:
    source = card_source(order)
    if source is None:
        return "Invoice — nothing to capture"
    if source.amount_debited:
        return f"Card charged {source.amount_debited}"
    if order.status not in HELD:
        return "Card hold released"
    left = order.date_placed + AUTHORISATION_LIFETIME - (now or timezone.now())
    if left <= datetime.timedelta(0):
        return "Card authorisation expired — capture will fail"
    if left < datetime.timedelta(hours=1):
        return "Less than 1 hour left on the card authorisation"
    return f"{duration(left)} left on the card authorisation"


def card_effect(order, *, action: str) -> str:
    """What an action will do to the customer's card or invoice, in words the
    confirmation page shows before the pharmacist commits."""
    source = card_source(order)
    total = f"{order.total_incl_tax} {order.currency}"
    charged = bool(source and source.amount_debited)
    if action == "approve":
        if source is None:
            return f"An invoice for {total} is issued to the customer."
        return (
            f"The card authorisation is captured: the customer's card is charged "
            f"{total}."
        )
    if action in ("reject", "cancel"):
        if source is None:
            return "The invoice is voided; nothing has been charged."
        if charged:
            return f"The card payment of {source.amount_debited} is refunded in full."
        return "The card authorisation is released: nothing is charged."
    if action == "dispatch":
        if source is None:
            return "The invoice issued at approval stands; nothing else is charged."
        return "Nothing changes on the card: it was charged at approval."
    if source is None:
        return "Nothing is charged and no invoice is issued yet."
    return (
        "Nothing is charged: the card authorisation stays in place "
        f"({authorisation_summary(order)})."
    )
