"""The Stripe calls that move an order's money, made with nothing locked.

An action that moves money (checkout/orders/actions.py) takes three steps:

1. a short transaction records the intent (the payment becomes
   CAPTURE_REQUESTED, RELEASE_REQUESTED or REFUND_REQUESTED, with who asked
   and why: ledger.py);
2. Stripe is called, with an idempotency key, and nothing is locked (here);
3. a short transaction records Stripe's answer and finishes the action
   (checkout/orders/settling.py).

A crash or a timeout between the steps leaves the payment "requested":
reconciliation asks Stripe what really happened and does step 3, or steps 2
and 3 again with the same key, so a card is never charged twice.
"""

import logging
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings

from checkout.payments import stripe_gateway
from checkout.payments.models import OrderPayment
from checkout.payments.stripe_gateway import PaymentRefused

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class CaptureResult:
    """Stripe's answer to a capture: the amount captured, or why not; or,
    ``held``, the authorisation still waiting, uncaptured."""

    captured: Decimal | None = None
    problem: str = ""  # for staff
    customer_problem: str = ""  # for the customer's email
    held: bool = False


def lapsed() -> CaptureResult:
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
        return lapsed()
    if intent.status == "requires_capture":
        return None
    return CaptureResult(
        problem=f"Stripe says the card payment is {intent.status}.",
        customer_problem="your card payment was not completed, so nothing was charged.",
    )


def capture_at_stripe(payment: OrderPayment, *, ask_first: bool) -> CaptureResult:
    """Capture the authorisation (asking Stripe first, after a timeout,
    whether an earlier try already did) and say what came of it."""
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


def release_at_stripe(payment: OrderPayment, *, ask_first: bool) -> None:
    """Cancel the authorisation; one Stripe already cancelled is fine."""
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


def capture_asked(payment: OrderPayment) -> CaptureResult:
    """What Stripe did with a capture whose approval was withdrawn (the order
    was put on hold meanwhile): asked, never made. ``held`` when the card is
    still only authorised."""
    known = _from_intent(
        stripe_gateway.payment_intent_get(payment_intent_id=payment.payment_intent_id)
    )
    return known if known is not None else CaptureResult(held=True)


def refund_at_stripe(payment: OrderPayment) -> None:
    # The same idempotency key: a refund already made is not made again.
    stripe_gateway.payment_refund(payment_intent_id=payment.payment_intent_id)


def authorisation_lapsed(payment: OrderPayment) -> bool:
    """Whether Stripe has cancelled this uncaptured authorisation."""
    intent = stripe_gateway.payment_intent_get(
        payment_intent_id=payment.payment_intent_id
    )
    return intent.status == "canceled"
