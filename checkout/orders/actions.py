"""Taking an action of the order workflow (workflow.py): the one code that
changes an order's status or moves its money, whoever asks (the pharmacist's
review page, the Stripe webhook and return page, reconciliation, management
commands, tasks).

``order_act`` checks what the action's row in ``workflow.ACTIONS`` says (the
permission, the statuses it starts from, the payment states it tolerates, its
checks) with the order locked, then moves the money. With no card involved it
finishes at once (finishing.py); a Stripe call is made after the transaction
commits, and its answer finishes the action (settling.py).
"""

from typing import NamedTuple

from django.db import transaction
from django.utils import timezone
from oscar.apps.order.models import Order

from checkout.dispensing import decisions
from checkout.dispensing.prescriptions import SuppliedPrescription
from checkout.dispensing.stock import filling
from checkout.orders import finishing, settling
from checkout.orders.finishing import OrderActionRefused
from checkout.orders.workflow import (
    APPROVE,
    ASK_PRESCRIBER,
    CANCEL,
    CARD_PAYMENT,
    DISPATCH,
    FILL,
    HOLD,
    PAY_AGAIN,
    PAYMENT_PROBLEM,
    RECORD_PAYMENT,
    REFUND,
    REJECT,
    RESUME,
    SUPPLY_PRESCRIPTION,
    Action,
    Check,
    Money,
    hold_reason_text,
)
from checkout.payments import invoices, ledger, settlement
from checkout.payments.models import OrderPayment
from checkout.payments.states import PAYMENT_IN_FLIGHT, PaymentState
from checkout.payments.stripe_gateway import Authorisation
from pharmacy.staff.roles import may

__all__ = ["OrderActionRefused", "order_act"]

_CHECKS = {
    Check.PRESCRIPTION_READY: lambda *, order, picks: decisions.approval_refusals(
        order=order
    ),
    Check.PRESCRIBER_GIVEN: lambda *, order, picks: decisions.prescriber_refusals(
        order=order
    ),
    Check.DISPENSING_DONE: lambda *, order, picks: decisions.dispatch_refusals(
        order=order
    ),
    Check.INVOICE_PAID: lambda *, order, picks: invoices.dispatch_refusals(order=order),
    Check.LOTS_PICKED: filling.fill_refusals,
}


def order_act(
    *,
    action: Action | tuple[Action, ...],
    order: Order,
    actor,
    reason: str = "",
    note: str = "",
    email_context: dict | None = None,
    authorisation: Authorisation | None = None,
    supplied: SuppliedPrescription | None = None,
    received: invoices.Received | None = None,
    picks: dict | None = None,
) -> Order:
    """Take ``action`` on ``order`` for ``actor``, or raise OrderActionRefused
    saying why not. ``reason`` goes to the customer (holds, rejections,
    cancellations), ``note`` to the order's history. Given several actions
    (one decision that depends on the status), the first that may start
    from the order's status, read under the lock, is taken. ``picks``: for a
    fill, each line's lot ({line id: lot id})."""
    candidates = action if isinstance(action, tuple) else (action,)
    action = candidates[0]
    if action.permission is not None and not may(actor, action.permission):
        raise OrderActionRefused("You do not have permission to do that.")
    reason = (reason or "").strip()
    if action.reason_required and not reason:
        raise OrderActionRefused(action.reason_required)
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        payment = ledger.payment_of(order, lock=True)
        action = next(
            (a for a in candidates if a.may_start(status=order.status)), action
        )
        _start_check(action, order=order, payment=payment)
        for check in action.checks:
            refusals = _CHECKS[check](order=order, picks=picks or {})
            if refusals:
                raise OrderActionRefused(" ".join(refusals))
        asked_before = payment.state in PAYMENT_IN_FLIGHT
        try:
            money = _money_moved(
                action,
                order=order,
                payment=payment,
                actor=actor,
                reason=reason,
                authorisation=authorisation,
                received=received,
            )
        except ledger.PaymentStateError as exc:
            raise OrderActionRefused(
                f"{exc} A payment step may still be in progress."
            ) from exc
        except invoices.InvoicePaymentRefused as exc:
            raise OrderActionRefused(str(exc)) from exc
        if not money.stripe_call_owed:
            finishing.action_finish(
                action=action,
                order=order,
                payment=payment,
                actor=actor,
                reason=reason,
                note=_joined(reason, money.note, note),
                email_context={"reason": reason, **(email_context or {})},
                supplied=supplied,
                picks=picks,
            )
            return order
    # The Stripe call, with nothing locked; a second press after a timeout
    # asks Stripe first what the first one did.
    payment = settling.payment_settle(payment_id=payment.pk, ask_first=asked_before)
    _settled_check(payment)
    return Order.objects.get(pk=order.pk)


def _start_check(action: Action, *, order: Order, payment: OrderPayment) -> None:
    if not action.may_start(status=order.status):
        raise OrderActionRefused(
            f"Order {order.number} is {order.status}; that action is not possible now."
        )
    if payment.state not in action.payment_states:
        raise OrderActionRefused(
            f"Payment for order {order.number} is "
            f"{payment.get_state_display().lower()}, so it can't be "
            f"{action.done} now. A payment step may still be in progress."
        )


class MoneyMoved(NamedTuple):
    note: str = ""  # for the order's history
    stripe_call_owed: bool = False  # the action finishes on Stripe's answer


def _money_moved(
    action: Action,
    *,
    order,
    payment: OrderPayment,
    actor,
    reason,
    authorisation,
    received,
) -> MoneyMoved:
    """Move the payment as the action says, inside its transaction: at once
    for an invoice; for a card, by recording the Stripe call to make."""
    if action.money is Money.TAKE:
        if not payment.is_card:
            number = invoices.invoice_number(order=order)
            due_on = invoices.invoice_due_on(issued=timezone.localdate())
            ledger.payment_move(payment, PaymentState.INVOICED, invoice_due_on=due_on)
            ledger.payment_event(
                order, name="Invoice issued", amount=payment.amount, reference=number
            )
            return MoneyMoved(
                f"Invoice {number} issued for {payment.amount}, due {due_on:%Y-%m-%d}"
            )
        if payment.state == PaymentState.CAPTURED:
            return MoneyMoved(f"Card payment of {payment.amount} captured earlier")
        ledger.capture_request(payment=payment, actor=actor)
        return MoneyMoved(stripe_call_owed=True)
    if action.money in (Money.RELEASE, Money.REFUND):
        if not payment.is_card:
            paid = invoices.amount_received(payment)
            if paid:
                # Money came in by bank or check: it goes back the same way,
                # which the store cannot do, so it is not voided as if unpaid.
                raise OrderActionRefused(
                    f"{paid} {payment.currency} has been received against invoice "
                    f"{invoices.invoice_number(order=order)}: refund it to the "
                    "customer first; the invoice can't be voided as unpaid."
                )
            ledger.payment_move(payment, PaymentState.VOID)
            return MoneyMoved("Invoice voided; nothing was charged")
        ledger.release_request(
            payment=payment, actor=actor, action=action.name, reason=reason
        )
        return MoneyMoved(stripe_call_owed=True)
    if action.money is Money.PROBLEM:
        problem = settlement.lapsed()
        ledger.payment_move(
            payment, PaymentState.CAPTURE_FAILED, problem=problem.problem
        )
        return MoneyMoved(problem.problem)
    if action.money is Money.RECEIVE:
        if received is None:
            raise OrderActionRefused("Please enter the payment received.")
        return MoneyMoved(
            invoices.invoice_payment_record(
                order=order, payment=payment, received=received, actor=actor
            )
        )
    if action.money is Money.AUTHORISE:
        return MoneyMoved(
            _authorisation_replaced(order, payment=payment, authorisation=authorisation)
        )
    return MoneyMoved()


def _authorisation_replaced(order, *, payment, authorisation: Authorisation) -> str:
    if (
        authorisation.amount_capturable != payment.amount
        or authorisation.currency != payment.currency
    ):
        raise OrderActionRefused(
            f"The new authorisation is for {authorisation.amount_capturable} "
            f"{authorisation.currency}, not {payment.amount} {payment.currency}."
        )
    old = payment.payment_intent_id
    ledger.payment_move(
        payment,
        PaymentState.AUTHORISED,
        payment_intent_id=authorisation.payment_intent_id,
        authorised_at=timezone.now(),
        problem="",
    )
    order.sources.update(reference=authorisation.payment_intent_id)
    return f"New card authorisation replaces {old}"


def _settled_check(payment: OrderPayment) -> None:
    """Stripe's answer to the action's call, in words for the pharmacist
    when it did not complete the action."""
    if payment.state == PaymentState.CAPTURE_REQUESTED:
        raise OrderActionRefused(
            "Payment could not be taken: our card processor did not answer. "
            "Nothing more is needed: the capture will be completed automatically "
            "within the hour, or press Approve again."
        )
    if payment.state == PaymentState.CAPTURE_FAILED:
        raise OrderActionRefused(
            f"Payment could not be taken: {payment.problem} The order stays in "
            "the queue and the customer has been emailed a link to pay again."
        )
    if payment.state in PAYMENT_IN_FLIGHT:
        raise OrderActionRefused(
            "The card payment could not be released: our card processor did not "
            "answer. Your decision is recorded and will be completed "
            "automatically within the hour, or press the button again."
        )


def _joined(reason: str, money_note: str, note: str) -> str:
    return "\n".join(part for part in (reason, money_note, note.strip()) if part)


# -- each action by name, as the doors call them ----------------------------------


def order_approve(*, order: Order, actor) -> Order:
    """A pharmacist approves the order: the card is charged (or the invoice
    issued) and the order may be dispatched. If the capture fails the order
    stays awaiting review with a payment problem, and the customer is
    emailed a link to pay again."""
    return order_act(action=APPROVE, order=order, actor=actor)


def order_hold(*, order: Order, actor, reason: str, words: str = "") -> Order:
    """Put an undecided order on hold: ``reason`` is a workflow.HoldReason,
    ``words`` the pharmacist's own for the customer (needed for "other").
    The customer is emailed the reason and sees it on the order's status
    page, where they can answer (order_prescription_supply). The card hold
    stays; an approval still waiting for Stripe is withdrawn."""
    try:
        told = hold_reason_text(reason=reason, words=words)
    except ValueError as exc:
        raise OrderActionRefused(str(exc)) from exc
    return order_act(action=HOLD, order=order, actor=actor, reason=told)


def order_prescription_supply(
    *, order: Order, actor, supplied: SuppliedPrescription
) -> Order:
    """The customer answers a hold from the order's status page, with a new
    prescription or the prescriber's details: it replaces the order's
    prescription and the order goes back to the pharmacist's queue, noted in
    its history. The door has checked the order is this customer's."""
    return order_act(
        action=SUPPLY_PRESCRIPTION,
        order=order,
        actor=actor if actor is not None and actor.is_authenticated else None,
        note=supplied.history_note(),
        supplied=supplied,
    )


def order_prescription_request(*, order: Order, actor, note: str = "") -> Order:
    """Record that the pharmacist asked the prescriber (whose details the
    customer gave) for the prescription."""
    return order_act(action=ASK_PRESCRIBER, order=order, actor=actor, note=note)


def order_resume(*, order: Order, actor, note: str = "") -> Order:
    """Back to awaiting review: the prescriber answered, or the hold is over."""
    return order_act(action=RESUME, order=order, actor=actor, note=note)


def order_reject(*, order: Order, actor, reason: str) -> Order:
    """A pharmacist rejects the order: the hold on the card is released, stock
    returns, and the customer is told why."""
    return order_act(action=REJECT, order=order, actor=actor, reason=reason)


def order_cancel(*, order: Order, actor, reason: str) -> Order:
    """Cancel an order that has not shipped, at the customer's request: the
    card hold is released (``cancel``), or the charge refunded once approved
    (``refund``); the customer is told, with the reason."""
    return order_act(action=(CANCEL, REFUND), order=order, actor=actor, reason=reason)


def order_fill(*, order: Order, actor, picks: dict) -> Order:
    """Fill an approved order from the lots picked ({line id: lot id}):
    refused, with the dates, for a lot that expires before the supply runs
    out, and for a lot of another drug or strength, recalled or short."""
    return order_act(action=FILL, order=order, actor=actor, picks=picks)


def order_dispatch(
    *, order: Order, actor, tracking_reference: str, carrier: str = ""
) -> Order:
    """Hand an approved order to the carrier, with its tracking reference.
    Refused until the order is filled and counselling recorded, and, while
    INVOICE_DISPATCH_WAITS_FOR_PAYMENT, until an invoice is paid."""
    tracking_reference = (tracking_reference or "").strip()
    carrier = (carrier or "").strip()
    if not tracking_reference:
        raise OrderActionRefused("Please enter the carrier's tracking reference.")
    tracking = f"{carrier} {tracking_reference}" if carrier else tracking_reference
    return order_act(
        action=DISPATCH,
        order=order,
        actor=actor,
        note=f"Tracking: {tracking}",
        email_context={"tracking_reference": tracking_reference, "carrier": carrier},
    )


def order_payment_record(*, order: Order, actor, received: invoices.Received) -> Order:
    """Staff record money received against the order's invoice; the invoice
    is paid once the amount is reached, and dispatch may then go ahead."""
    return order_act(action=RECORD_PAYMENT, order=order, actor=actor, received=received)


def order_card_payment(*, order: Order, received: invoices.Received) -> Order:
    """Stripe took the customer's card payment for the order's invoice (the
    "Pay by card" link): recorded as money received, by no one."""
    return order_act(action=CARD_PAYMENT, order=order, actor=None, received=received)


def order_pay_again(*, order: Order, authorisation: Authorisation) -> Order:
    """The customer authorised their card again after a failed capture: the
    new authorisation replaces the old, for the pharmacist to capture."""
    return order_act(
        action=PAY_AGAIN,
        order=order,
        actor=order.user,
        authorisation=authorisation,
    )


def order_payment_lapsed(*, order: Order) -> Order:
    """Stripe cancelled the order's uncaptured card hold: a payment problem,
    and the customer is emailed a link to pay again."""
    return order_act(
        action=PAYMENT_PROBLEM,
        order=order,
        actor=None,
        email_context=settling.pay_again_email(order=order, result=settlement.lapsed()),
    )
