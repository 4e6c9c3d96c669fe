"""The Stripe calls that move an order's money, each made outside any
transaction that holds locks:

1. a short transaction records the intent (the payment becomes
   CAPTURE_REQUESTED, RELEASE_REQUESTED or REFUND_REQUESTED, with who asked
   and why);
2. Stripe is called, with an idempotency key, and nothing is locked;
3. a short transaction records Stripe's answer and finishes the pharmacist's
   action (approve, reject or cancel).

A crash or a timeout between the steps leaves the payment "requested":
reconciliation (payments_reconcile, run by a periodic task) asks Stripe what
really happened and does step 3, or steps 2 and 3 again with the same key, so
a card is never charged twice.
"""

import datetime
import logging
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from oscar.apps.order.models import Order

from checkout.orders import notifications
from checkout.orders.models import CheckoutAttempt, OrderEvent
from checkout.payments import ledger, repayment, stripe_gateway
from checkout.payments.models import (
    PAYMENT_IN_FLIGHT,
    OrderPayment,
    PaymentMethod,
    PaymentState,
)
from checkout.payments.stripe_gateway import PaymentGatewayError, PaymentRefused

logger = logging.getLogger(__name__)

Action = OrderPayment.Action
# A shopper may still be on Stripe's page this long after pressing "Place order".
CHECKOUT_GRACE = datetime.timedelta(minutes=30)


@dataclass(frozen=True)
class CaptureResult:
    captured: Decimal | None = None
    problem: str = ""  # for staff
    customer_problem: str = ""  # for the customer's email


def _lapsed() -> CaptureResult:
    days = settings.STRIPE_AUTHORISATION_DAYS
    return CaptureResult(
        problem=f"The card authorisation lapsed (Stripe cancels holds not "
        f"captured within {days} days).",
        customer_problem="the hold on your card expired before our pharmacist "
        "could approve your order, so nothing was charged.",
    )


def _from_intent(intent: stripe_gateway.Intent) -> CaptureResult | None:
    """What Stripe's PaymentIntent says about a capture, or None if it is
    still waiting to be captured."""
    if intent.status == "succeeded":
        return CaptureResult(captured=intent.amount_received)
    if intent.status == "canceled":
        return _lapsed()
    if intent.status == "requires_capture":
        return None
    return CaptureResult(
        problem=f"Stripe says the card payment is {intent.status}.",
        customer_problem="your card payment was not completed, so nothing was charged.",
    )


# -- step 1: record the intent (inside the caller's transaction) ------------------


def capture_request(*, payment: OrderPayment, actor) -> None:
    """The pharmacist approves: the card is to be charged. Already requested
    (a retry after a timeout) is fine."""
    if payment.state == PaymentState.CAPTURE_REQUESTED:
        return
    ledger.payment_move(
        payment,
        PaymentState.CAPTURE_REQUESTED,
        pending_action=Action.APPROVE,
        pending_actor=actor,
        pending_reason="",
    )


def release_request(*, payment: OrderPayment, actor, action: str, reason: str):
    """The order is rejected or cancelled: release the hold, or refund a
    captured payment."""
    to = (
        PaymentState.REFUND_REQUESTED
        if payment.state == PaymentState.CAPTURED
        else PaymentState.RELEASE_REQUESTED
    )
    if payment.state == to and payment.pending_action == action:
        return
    ledger.payment_move(
        payment, to, pending_action=action, pending_actor=actor, pending_reason=reason
    )


# -- step 2: Stripe, with nothing locked -------------------------------------------


def _capture_at_stripe(payment: OrderPayment, *, ask_first: bool) -> CaptureResult:
    intent_id = payment.payment_intent_id
    if ask_first:
        known = _from_intent(
            stripe_gateway.payment_intent_get(payment_intent_id=intent_id)
        )
        if known is not None:
            return known
    try:
        captured = stripe_gateway.payment_capture(
            payment_intent_id=intent_id, amount=payment.amount
        )
    except PaymentRefused as exc:
        # "Unexpected state" may mean lapsed, or captured already: ask.
        known = _from_intent(
            stripe_gateway.payment_intent_get(payment_intent_id=intent_id)
        )
        if known is not None and (known.captured is not None or not exc.declined):
            return known
        return CaptureResult(problem=exc.detail, customer_problem=str(exc))
    return CaptureResult(captured=captured)


def _release_at_stripe(payment: OrderPayment, *, ask_first: bool) -> None:
    intent_id = payment.payment_intent_id
    if ask_first:
        intent = stripe_gateway.payment_intent_get(payment_intent_id=intent_id)
        if intent.status == "canceled":
            return
    try:
        stripe_gateway.payment_release(payment_intent_id=intent_id)
    except PaymentRefused:
        intent = stripe_gateway.payment_intent_get(payment_intent_id=intent_id)
        if intent.status != "canceled":
            # Captured after all: staff must refund it; stays requested.
            logger.error("Payment %s: release refused, intent %s", payment.pk, intent)
            raise


# -- step 3: record the answer and finish the action --------------------------------


def _locked_payment(payment_id: int) -> tuple[Order, OrderPayment]:
    payment = OrderPayment.objects.get(pk=payment_id)
    order = Order.objects.select_for_update().get(pk=payment.order_id)
    return order, ledger.payment_of(order, lock=True)


def _done(payment: OrderPayment, to: PaymentState, **fields) -> None:
    ledger.payment_move(
        payment,
        to,
        pending_action="",
        pending_actor=None,
        pending_reason="",
        **fields,
    )


def _capture_recorded(payment_id: int, result: CaptureResult) -> OrderPayment:
    from checkout.orders import lifecycle

    with transaction.atomic():
        order, payment = _locked_payment(payment_id)
        if payment.state != PaymentState.CAPTURE_REQUESTED:
            return payment  # another process recorded it first
        actor = payment.pending_actor
        if result.captured is not None:
            source = ledger.source_of(order)
            if source is not None:
                source.debit(result.captured, reference=payment.payment_intent_id)
            ledger.payment_event(
                order,
                name="Captured",
                amount=result.captured,
                reference=payment.payment_intent_id,
            )
            _done(payment, PaymentState.CAPTURED)
            lifecycle.approval_finish(
                order=order,
                actor=actor,
                note=f"Card payment of {result.captured} captured",
            )
        else:
            _done(payment, PaymentState.CAPTURE_FAILED, problem=result.problem)
            _problem_recorded(order, payment, actor=actor, result=result)
    return payment


def _problem_recorded(order, payment, *, actor, result: CaptureResult) -> None:
    OrderEvent.objects.create(
        order=order,
        actor=actor,
        action="payment problem",
        from_status=order.status,
        to_status=order.status,
        note=result.problem,
    )
    notifications.order_email_send(
        order=order,
        code=notifications.ORDER_PAY_AGAIN,
        problem=result.customer_problem or "your card payment could not be taken.",
        pay_again_url=repayment.pay_again_url(order=order),
        link_days=settings.PAY_AGAIN_LINK_DAYS,
    )


def _release_recorded(payment_id: int) -> OrderPayment:
    from checkout.orders import lifecycle

    with transaction.atomic():
        order, payment = _locked_payment(payment_id)
        action, actor, reason = (
            payment.pending_action,
            payment.pending_actor,
            payment.pending_reason,
        )
        if payment.state == PaymentState.RELEASE_REQUESTED:
            ledger.payment_event(
                order,
                name="Authorisation released",
                amount=Decimal("0.00"),
                reference=payment.payment_intent_id,
            )
            _done(payment, PaymentState.RELEASED)
            note = "Card authorisation released; nothing was charged"
        elif payment.state == PaymentState.REFUND_REQUESTED:
            source = ledger.source_of(order)
            if source is not None and source.amount_debited:
                source.refund(
                    source.amount_debited, reference=payment.payment_intent_id
                )
            ledger.payment_event(
                order,
                name="Refunded",
                amount=payment.amount,
                reference=payment.payment_intent_id,
            )
            _done(payment, PaymentState.REFUNDED)
            note = "Card payment refunded"
        else:
            return payment
        lifecycle.decision_finish(
            order=order, actor=actor, action=action, reason=reason, note=note
        )
    return payment


# -- steps 2 and 3, for a request and for reconciliation ----------------------------


def payment_settle(*, payment_id: int, ask_first: bool = False) -> OrderPayment:
    """Make the Stripe call a payment in flight is waiting for, and record the
    answer. If Stripe can't be reached, or the answer is lost, the payment
    stays in flight for reconciliation (or another press of the button)."""
    payment = OrderPayment.objects.select_related("order").get(pk=payment_id)
    try:
        if payment.state == PaymentState.CAPTURE_REQUESTED:
            result = _capture_at_stripe(payment, ask_first=ask_first)
            return _capture_recorded(payment_id, result)
        if payment.state == PaymentState.RELEASE_REQUESTED:
            _release_at_stripe(payment, ask_first=ask_first)
            return _release_recorded(payment_id)
        if payment.state == PaymentState.REFUND_REQUESTED:
            # Same idempotency key: a refund already made is not made again.
            stripe_gateway.payment_refund(payment_intent_id=payment.payment_intent_id)
            return _release_recorded(payment_id)
    except PaymentGatewayError:
        logger.warning(
            "Payment %s: Stripe did not settle it; stays in flight", payment_id
        )
    return OrderPayment.objects.get(pk=payment_id)


# -- reconciliation -------------------------------------------------------------------


def _lapse_recorded(payment_id: int, result: CaptureResult) -> None:
    with transaction.atomic():
        order, payment = _locked_payment(payment_id)
        if payment.state != PaymentState.AUTHORISED:
            return
        ledger.payment_move(
            payment, PaymentState.CAPTURE_FAILED, problem=result.problem
        )
        _problem_recorded(order, payment, actor=None, result=result)


def _checkouts_reconcile(*, before: datetime.datetime, counts: dict) -> None:
    """Card checkouts still pending: if Stripe holds an authorisation for one
    (the shopper paid, then the return page and the webhook both failed),
    place the order now. One not authorised is left to Stripe's expiry event."""
    from checkout.orders import placing
    from checkout.payments import fulfilment

    pending = CheckoutAttempt.objects.filter(
        status=CheckoutAttempt.Status.PENDING,
        payment_method=PaymentMethod.CARD,
        order__isnull=True,
        created_at__lte=before,
    ).exclude(stripe_session_id="")
    for session_id in list(pending.values_list("stripe_session_id", flat=True)):
        try:
            fulfilment.checkout_fulfil(session_id=session_id)
        except (fulfilment.PaymentNotAuthorised, PaymentGatewayError):
            continue
        except placing.OrderNotPlaced:
            counts["checkout refused"] = counts.get("checkout refused", 0) + 1
            continue
        counts["order placed"] = counts.get("order placed", 0) + 1


def payments_reconcile(
    *,
    older_than: datetime.timedelta = datetime.timedelta(minutes=2),
    now: datetime.datetime | None = None,
) -> dict[str, int]:
    """Ask Stripe about every payment in flight (left for ``older_than``, so a
    request still running is not raced), every card checkout left pending,
    and every card hold past its lapse time, and bring each order into line.
    Returns counts by outcome."""
    now = now or timezone.now()
    counts: dict[str, int] = {}
    _checkouts_reconcile(before=now - max(older_than, CHECKOUT_GRACE), counts=counts)
    in_flight = OrderPayment.objects.filter(
        state__in=PAYMENT_IN_FLIGHT, updated_at__lte=now - older_than
    ).values_list("pk", flat=True)
    for payment_id in list(in_flight):
        payment = payment_settle(payment_id=payment_id, ask_first=True)
        counts[payment.state] = counts.get(payment.state, 0) + 1
    lapse_after = datetime.timedelta(days=settings.STRIPE_AUTHORISATION_DAYS)
    maybe_lapsed = OrderPayment.objects.filter(
        state=PaymentState.AUTHORISED, authorised_at__lte=now - lapse_after
    ).exclude(payment_intent_id="")
    for payment in list(maybe_lapsed):
        try:
            intent = stripe_gateway.payment_intent_get(
                payment_intent_id=payment.payment_intent_id
            )
        except PaymentGatewayError:
            logger.warning("Payment %s: Stripe unreachable", payment.pk)
            continue
        if intent.status == "canceled":
            _lapse_recorded(payment.pk, _lapsed())
            counts["lapsed"] = counts.get("lapsed", 0) + 1
    return counts
