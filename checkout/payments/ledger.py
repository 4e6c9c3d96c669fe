"""An order's payment state (models.OrderPayment) and the rules on it.

One OrderPayment per order says how it is paid and where the money is. Its
state only moves along PAYMENT_TRANSITIONS. The Stripe calls that move it
live in settlement.py; this module reads and records.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from oscar.apps.order.models import Order, PaymentEvent, PaymentEventType
from oscar.apps.payment.models import Source, SourceType

from checkout.orders.models import CheckoutAttempt
from checkout.payments.models import OrderPayment
from checkout.payments.states import (
    PAYMENT_IN_FLIGHT,
    PAYMENT_TRANSITIONS,
    PaymentMethod,
    PaymentState,
)

# Oscar's payment source names, shown in Oscar's order views. Only labels:
# nothing decides by them (OrderPayment.method does).
SOURCE_NAMES = {PaymentMethod.CARD: "Card (Stripe)", PaymentMethod.INVOICE: "Invoice"}


class PaymentStateError(Exception):
    """A move the payment's state does not allow."""


def payment_of(order: Order, *, lock: bool = False) -> OrderPayment:
    payments = OrderPayment.objects.select_related("order")
    if lock:
        payments = payments.select_for_update(of=("self",))
    return payments.get(order_id=order.pk)


def payment_move(payment: OrderPayment, to: PaymentState, **fields) -> None:
    """Move the payment to ``to`` (and set ``fields``), if the state allows."""
    if to not in PAYMENT_TRANSITIONS[payment.state]:
        raise PaymentStateError(
            f"Payment for order {payment.order.number} is "
            f"{payment.get_state_display().lower()}; it can't become "
            f"{PaymentState(to).label.lower()}."
        )
    payment_fields_set(payment, state=to, **fields)


def capture_request(*, payment: OrderPayment, actor) -> None:
    """The pharmacist approves: the card is to be charged (step 1 of
    settlement.py). Already requested, after a timeout or after the approval
    was withdrawn, it is the same capture asked for again."""
    fields = {"pending_action": OrderPayment.Action.APPROVE, "pending_actor": actor}
    if payment.state == PaymentState.CAPTURE_REQUESTED:
        payment_fields_set(payment, **fields)
        return
    payment_move(payment, PaymentState.CAPTURE_REQUESTED, pending_reason="", **fields)


def release_request(*, payment: OrderPayment, actor, action: str, reason: str):
    """The order is rejected or cancelled: release the hold, or refund a
    captured payment (step 1 of settlement.py)."""
    to = (
        PaymentState.REFUND_REQUESTED
        if payment.state == PaymentState.CAPTURED
        else PaymentState.RELEASE_REQUESTED
    )
    if payment.state == to and payment.pending_action == action:
        return
    payment_move(
        payment, to, pending_action=action, pending_actor=actor, pending_reason=reason
    )


# A payment with no action waiting for Stripe's answer.
NOTHING_PENDING = {"pending_action": "", "pending_actor": None, "pending_reason": ""}


def payment_pending_clear(payment: OrderPayment) -> None:
    """Forget the action waiting for Stripe's answer: the answer, when it
    comes, is recorded as money only."""
    payment_fields_set(payment, **NOTHING_PENDING)


def payment_fields_set(payment: OrderPayment, **fields) -> None:
    for name, value in fields.items():
        setattr(payment, name, value)
    payment.save(update_fields=["updated_at", *fields])


def _source_type_id(*, name: str) -> int:
    return SourceType.objects.get_or_create(name=name)[0].pk


def payment_record(*, order: Order, attempt: CheckoutAttempt) -> OrderPayment:
    """The payment of a newly placed order (and Oscar's source for it)."""
    card = attempt.payment_method == PaymentMethod.CARD
    Source.objects.create(
        order=order,
        source_type_id=_source_type_id(
            name=SOURCE_NAMES[PaymentMethod(attempt.payment_method)]
        ),
        currency=attempt.currency,
        amount_allocated=attempt.amount if card else Decimal("0.00"),
        reference=attempt.stripe_payment_intent_id if card else f"INV-{order.number}",
    )
    return OrderPayment.objects.create(
        order=order,
        method=attempt.payment_method,
        state=PaymentState.AUTHORISED if card else PaymentState.INVOICE_DUE,
        amount=attempt.amount,
        currency=attempt.currency,
        payment_intent_id=attempt.stripe_payment_intent_id if card else "",
        authorised_at=timezone.now() if card else None,
    )


def payment_event(order: Order, *, name: str, amount: Decimal, reference: str):
    event_type, _ = PaymentEventType.objects.get_or_create(name=name)
    PaymentEvent.objects.create(
        order=order, event_type=event_type, amount=amount, reference=reference
    )


def source_of(order: Order) -> Source | None:
    return order.sources.first()


# -- what the pharmacist's queue shows --------------------------------------------


def payment_loaded(order: Order) -> OrderPayment | None:
    """The order's payment as loaded with it (select_related), if it has one."""
    try:
        return order.payment
    except OrderPayment.DoesNotExist:
        return None


def payment_problem(order: Order) -> str | None:
    """Why the order's payment could not be taken, while it can't; else None."""
    payment = payment_loaded(order)
    if payment is None or payment.state != PaymentState.CAPTURE_FAILED:
        return None
    return payment.problem or "The card payment could not be taken."


def payment_in_flight(order: Order) -> bool:
    """A Stripe call was decided and its outcome is not recorded yet."""
    payment = payment_loaded(order)
    return payment is not None and payment.state in PAYMENT_IN_FLIGHT


def authorisation_expires_at(payment: OrderPayment) -> datetime.datetime | None:
    """When Stripe will cancel the uncaptured authorisation, if one is held."""
    if payment.state != PaymentState.AUTHORISED or payment.authorised_at is None:
        return None
    return payment.authorised_at + datetime.timedelta(
        days=settings.STRIPE_AUTHORISATION_DAYS
    )


def authorisation_lapses_within(
    order: Order, *, hours: int = 24, now: datetime.datetime | None = None
) -> bool:
    """True if the card hold lapses (or has lapsed) within ``hours``: capture
    it soon, or it will fail."""
    payment = payment_loaded(order)
    expires = authorisation_expires_at(payment) if payment else None
    if expires is None:
        return False
    return expires - (now or timezone.now()) <= datetime.timedelta(hours=hours)


def payment_summary(order: Order, *, now: datetime.datetime | None = None) -> str:
    """One line for staff: where the order's money is."""
    payment = payment_loaded(order)
    if payment is None:
        return "No payment recorded"
    problem = payment_problem(order)
    if problem:
        return f"Payment problem: {problem}"
    if payment.state == PaymentState.INVOICE_DUE:
        return "Invoice — nothing to capture"
    expires = authorisation_expires_at(payment)
    if expires is None:
        return payment.get_state_display()
    left = expires - (now or timezone.now())
    if left <= datetime.timedelta(0):
        return "Card authorisation expired — capture will fail"
    if left < datetime.timedelta(hours=1):
        return "Less than 1 hour left on the card authorisation — approve now"
    if authorisation_lapses_within(order, hours=24, now=now):
        return f"Lapses soon: {_duration(left)} left on the card authorisation"
    return f"{_duration(left)} left on the card authorisation"


def _duration(delta: datetime.timedelta) -> str:
    days, hours = delta.days, delta.seconds // 3600
    parts = []
    if days:
        parts.append(f"{days} day{'s' if days != 1 else ''}")
    if hours or not days:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    return " ".join(parts)
