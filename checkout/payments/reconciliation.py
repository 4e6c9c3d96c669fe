"""Reconciliation: bring every order into line with what Stripe really did,
after a crash, a timeout or a lost webhook. Run by a periodic task and by
`manage.py reconcile_payments`; safe to run at any time, and again.

Each repair goes through the order workflow, as the pharmacist's own action
would: a card checkout Stripe authorised is placed (fulfilment.py), a payment
left in flight is settled and its action finished (or not, if it was
withdrawn), and a hold Stripe let lapse becomes a payment problem.
"""

import datetime
import logging

from django.conf import settings
from django.utils import timezone

from checkout.orders import actions, placing, settling
from checkout.orders.models import CheckoutAttempt
from checkout.payments import fulfilment, settlement
from checkout.payments.models import OrderPayment
from checkout.payments.states import PAYMENT_IN_FLIGHT, PaymentMethod, PaymentState
from checkout.payments.stripe_gateway import PaymentGatewayError

logger = logging.getLogger(__name__)

# A shopper may still be on Stripe's page this long after pressing "Place order".
CHECKOUT_GRACE = datetime.timedelta(minutes=30)


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
        payment = settling.payment_settle(payment_id=payment_id, ask_first=True)
        counts[payment.state] = counts.get(payment.state, 0) + 1
    lapse_after = datetime.timedelta(days=settings.STRIPE_AUTHORISATION_DAYS)
    maybe_lapsed = (
        OrderPayment.objects.filter(
            state=PaymentState.AUTHORISED, authorised_at__lte=now - lapse_after
        )
        .exclude(payment_intent_id="")
        .select_related("order")
    )
    for payment in list(maybe_lapsed):
        try:
            if not settlement.authorisation_lapsed(payment):
                continue
        except PaymentGatewayError:
            logger.warning("Payment %s: Stripe unreachable", payment.pk)
            continue
        try:
            actions.order_payment_lapsed(order=payment.order)
        except actions.OrderActionRefused as exc:
            logger.warning("Payment %s: lapse not recorded (%s)", payment.pk, exc)
            continue
        counts["lapsed"] = counts.get("lapsed", 0) + 1
    return counts


def _checkouts_reconcile(*, before: datetime.datetime, counts: dict) -> None:
    """Card checkouts still pending: if Stripe holds an authorisation for one
    (the shopper paid, then the return page and the webhook both failed),
    place the order now. One not authorised is left to Stripe's expiry event."""
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
