"""Steps 2 and 3 of an action that moves money (see
checkout/payments/settlement.py): call Stripe with nothing locked, then record
its answer and finish the action that was waiting for it.

``payment_settle`` is called by the action itself and, for anything left in
flight by a crash or a timeout, by reconciliation. The action finished is the
one recorded with the payment (``pending_action``): an approval withdrawn
meanwhile (the order was put on hold) is not finished, and its capture is
asked about, never made.
"""

import logging
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from oscar.apps.order.models import Order

from checkout.orders import finishing
from checkout.orders.models import OrderEvent
from checkout.orders.workflow import ACTIONS, APPROVE, PAYMENT_PROBLEM
from checkout.payments import ledger, repayment, settlement
from checkout.payments.models import OrderPayment
from checkout.payments.settlement import CaptureResult
from checkout.payments.states import PaymentState
from checkout.payments.stripe_gateway import PaymentGatewayError

logger = logging.getLogger(__name__)


def payment_settle(*, payment_id: int, ask_first: bool = False) -> OrderPayment:
    """Make the Stripe call a payment in flight is waiting for, and record the
    answer. If Stripe can't be reached, or the answer is lost, the payment
    stays in flight for reconciliation (or another press of the button)."""
    payment = OrderPayment.objects.select_related("order").get(pk=payment_id)
    try:
        if payment.state == PaymentState.CAPTURE_REQUESTED:
            if payment.pending_action == APPROVE.name:
                result = settlement.capture_at_stripe(payment, ask_first=ask_first)
            else:
                result = settlement.capture_asked(payment)
            return _capture_recorded(payment_id, result)
        if payment.state == PaymentState.RELEASE_REQUESTED:
            settlement.release_at_stripe(payment, ask_first=ask_first)
            return _release_recorded(payment_id)
        if payment.state == PaymentState.REFUND_REQUESTED:
            settlement.refund_at_stripe(payment)
            return _release_recorded(payment_id)
    except PaymentGatewayError:
        logger.warning(
            "Payment %s: Stripe did not settle it; stays in flight", payment_id
        )
    return OrderPayment.objects.get(pk=payment_id)


def _locked_payment(payment_id: int) -> tuple[Order, OrderPayment]:
    payment = OrderPayment.objects.get(pk=payment_id)
    order = Order.objects.select_for_update().get(pk=payment.order_id)
    return order, ledger.payment_of(order, lock=True)


def _done(payment: OrderPayment, to: PaymentState, **fields) -> None:
    ledger.payment_move(payment, to, **ledger.NOTHING_PENDING, **fields)


def _capture_recorded(payment_id: int, result: CaptureResult) -> OrderPayment:
    with transaction.atomic():
        order, payment = _locked_payment(payment_id)
        if payment.state != PaymentState.CAPTURE_REQUESTED:
            return payment  # another process recorded it first
        actor, approving = payment.pending_actor, payment.pending_action
        if result.held:
            _done(payment, PaymentState.AUTHORISED)
            _money_noted(order, note="The withdrawn approval's capture was not made.")
        elif result.captured is not None:
            _captured(order, payment, amount=result.captured)
            note = f"Card payment of {result.captured} captured"
            if approving == APPROVE.name:
                finishing.action_finish(
                    action=APPROVE, order=order, payment=payment, actor=actor, note=note
                )
            else:
                _money_noted(order, note=f"{note}; the order is not approved.")
        else:
            _done(payment, PaymentState.CAPTURE_FAILED, problem=result.problem)
            # The money could not be taken: the history says why, and the
            # customer is emailed a link to pay again.
            finishing.action_finish(
                action=PAYMENT_PROBLEM,
                order=order,
                payment=payment,
                actor=actor,
                note=result.problem,
                email_context=pay_again_email(order=order, result=result),
            )
    return payment


def _captured(order, payment: OrderPayment, *, amount: Decimal) -> None:
    source = ledger.source_of(order)
    if source is not None:
        source.debit(amount, reference=payment.payment_intent_id)
    ledger.payment_event(
        order, name="Captured", amount=amount, reference=payment.payment_intent_id
    )
    _done(payment, PaymentState.CAPTURED)


def _money_noted(order, *, note: str) -> None:
    OrderEvent.objects.create(
        order=order,
        action="payment recorded",
        from_status=order.status,
        to_status=order.status,
        note=note,
    )


def pay_again_email(*, order, result: CaptureResult) -> dict:
    """What the pay-again email says: why the money was not taken, and the
    link that lets the customer authorise their card again."""
    return {
        "problem": result.customer_problem or "your card payment could not be taken.",
        "pay_again_url": repayment.pay_again_url(order=order),
        "link_days": settings.PAY_AGAIN_LINK_DAYS,
    }


def _release_recorded(payment_id: int) -> OrderPayment:
    with transaction.atomic():
        order, payment = _locked_payment(payment_id)
        name, actor, reason = (
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
        finishing.action_finish(
            action=ACTIONS[name],
            order=order,
            payment=payment,
            actor=actor,
            reason=reason,
            note=f"{reason}\n{note}",
            email_context={"reason": reason},
        )
    return payment
