"""Every change to an order's status happens here.

Each service checks that the acting user may make the change, moves the order
through Oscar's status pipeline (settings.OSCAR_ORDER_STATUS_PIPELINE), and
records who did it, when and why. No prescription order reaches "Dispatched"
without a pharmacist's approval: the pipeline only allows Dispatched after
Approved, and only a pharmacist can approve.
"""

from django.db import transaction
from django.utils import timezone
from oscar.apps.order.exceptions import InvalidOrderStatus
from oscar.apps.order.models import Order, ShippingEvent, ShippingEventType

from checkout.dispensing import pharmacist, prescriptions, records
from checkout.dispensing.models import Prescription
from checkout.orders import notifications
from checkout.orders.models import OrderEvent, OrderStatus
from checkout.payments import ledger, settlement
from checkout.payments.models import PAYMENT_IN_FLIGHT, OrderPayment, PaymentState

REVIEW_PERMISSION = "checkout.review_prescription"
DISPATCH_PERMISSION = "checkout.dispatch_order"
# Orders a pharmacist may still decide on: approve, reject or cancel.
UNDECIDED = (
    OrderStatus.AWAITING_REVIEW,
    OrderStatus.ON_HOLD,
    OrderStatus.PRESCRIPTION_REQUESTED,
)


class OrderActionRefused(Exception):
    """The change was not made. The message says why, for staff."""


def _check_permission(actor, permission: str) -> None:
    if actor is None or not actor.is_active or not actor.has_perm(permission):
        raise OrderActionRefused("You do not have permission to do that.")


def _locked(order: Order) -> Order:
    return Order.objects.select_for_update().get(pk=order.pk)


def _move(order: Order, *, actor, to_status: str, action: str, note: str = "") -> None:
    from_status = order.status
    try:
        order.set_status(to_status)
    except InvalidOrderStatus as exc:
        raise OrderActionRefused(
            f"Order {order.number} is {from_status}; it can't become {to_status}."
        ) from exc
    OrderEvent.objects.create(
        order=order,
        actor=actor,
        action=action,
        from_status=from_status,
        to_status=to_status,
        note=note,
    )


def _require_status(order: Order, *statuses: str) -> None:
    if order.status not in statuses:
        raise OrderActionRefused(
            f"Order {order.number} is {order.status}; that action is not possible now."
        )


def _prescription(order: Order) -> Prescription | None:
    return Prescription.objects.filter(order=order).first()


def _money_refused(exc: ledger.PaymentStateError) -> OrderActionRefused:
    return OrderActionRefused(f"{exc} A payment step may still be in progress.")


def approval_refusals(*, order: Order) -> list[str]:
    """Everything that stops a pharmacist approving the order now: the
    prescription record's refusals, then each flag not yet acknowledged."""
    record = records.record_for(order=order)
    refusals = records.approval_refusals(order=order, record=record)
    flags = pharmacist.order_flags(order=order, record=record)
    refusals += [
        f"Acknowledge the flag first: {flag.title}."
        for flag in pharmacist.unacknowledged_flags(order=order, flags=flags)
    ]
    return refusals


def order_approve(*, order: Order, actor) -> Order:
    """A pharmacist approves the order: the card is charged (or the invoice
    issued) and the order may be dispatched.

    The card is captured outside the transaction (see settlement.py). If the
    capture fails the order stays awaiting review with a payment problem, and
    the customer is emailed a link to pay again."""
    _check_permission(actor, REVIEW_PERMISSION)
    with transaction.atomic():
        order = _locked(order)
        _require_status(order, *UNDECIDED)
        if (
            prescriptions.order_needs_prescription(order=order)
            and _prescription(order) is None
        ):
            raise OrderActionRefused("This order has no prescription to approve.")
        refusals = approval_refusals(order=order)
        if refusals:
            raise OrderActionRefused(" ".join(refusals))
        payment = ledger.payment_of(order, lock=True)
        try:
            if not payment.is_card:
                ledger.payment_move(payment, PaymentState.INVOICED)
                ledger.payment_event(
                    order,
                    name="Invoice issued",
                    amount=order.total_incl_tax,
                    reference=f"INV-{order.number}",
                )
                approval_finish(
                    order=order,
                    actor=actor,
                    note=f"Invoice INV-{order.number} issued for "
                    f"{order.total_incl_tax}",
                )
                return order
            retrying = payment.state == PaymentState.CAPTURE_REQUESTED
            settlement.capture_request(payment=payment, actor=actor)
        except ledger.PaymentStateError as exc:
            raise _money_refused(exc) from exc
    # A second press after a timeout asks Stripe first what the first did.
    payment = settlement.payment_settle(payment_id=payment.pk, ask_first=retrying)
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
    return Order.objects.get(pk=order.pk)


def approval_finish(*, order: Order, actor, note: str) -> None:
    """The money is taken: record the approval. Inside the caller's
    transaction, with the order locked. The tablets are taken from what is
    left on the prescription here, once the money is taken."""
    record = records.record_for(order=order)
    if record is not None:
        records.record_supply_take(
            record=record,
            tablets=sum(line.tablets for line in records.ordered_drugs(order=order)),
        )
    prescription = _prescription(order)
    if prescription:
        prescription.decision = Prescription.Decision.APPROVED
        prescription.reviewed_by = actor
        prescription.reviewed_at = timezone.now()
        prescription.save(update_fields=["decision", "reviewed_by", "reviewed_at"])
    _move(
        order, actor=actor, to_status=OrderStatus.APPROVED, action="approved", note=note
    )
    notifications.order_email_send(order=order, code=notifications.ORDER_APPROVED)


def _release_money(
    order: Order, *, actor, action: str, reason: str, statuses: tuple[str, ...]
) -> Order:
    """Reject or cancel: void an invoice at once; release (or refund) a card
    payment through settlement.py, then finish."""
    with transaction.atomic():
        order = _locked(order)
        _require_status(order, *statuses)
        payment = ledger.payment_of(order, lock=True)
        try:
            if not payment.is_card:
                ledger.payment_move(payment, PaymentState.VOID)
                decision_finish(
                    order=order,
                    actor=actor,
                    action=action,
                    reason=reason,
                    note="Invoice voided; nothing was charged",
                )
                return order
            settlement.release_request(
                payment=payment, actor=actor, action=action, reason=reason
            )
        except ledger.PaymentStateError as exc:
            raise _money_refused(exc) from exc
    payment = settlement.payment_settle(payment_id=payment.pk)
    if payment.state in PAYMENT_IN_FLIGHT:
        raise OrderActionRefused(
            "The card payment could not be released: our card processor did not "
            "answer. Your decision is recorded and will be completed "
            "automatically within the hour, or press the button again."
        )
    return Order.objects.get(pk=order.pk)


def decision_finish(*, order: Order, actor, action: str, reason: str, note: str):
    """The money is released: record the rejection or cancellation. Inside the
    caller's transaction, with the order locked."""
    _release_stock(order)
    if action == OrderPayment.Action.REJECT:
        prescription = _prescription(order)
        if prescription:
            prescription.decision = Prescription.Decision.REJECTED
            prescription.reviewed_by = actor
            prescription.reviewed_at = timezone.now()
            prescription.rejection_reason = reason
            prescription.save(
                update_fields=[
                    "decision",
                    "reviewed_by",
                    "reviewed_at",
                    "rejection_reason",
                ]
            )
        to_status, verb = OrderStatus.REJECTED, "rejected"
        code = notifications.ORDER_REJECTED
    else:
        to_status, verb = OrderStatus.CANCELLED, "cancelled"
        code = notifications.ORDER_CANCELLED
    _move(
        order, actor=actor, to_status=to_status, action=verb, note=f"{reason}\n{note}"
    )
    notifications.order_email_send(order=order, code=code, reason=reason)


def order_reject(*, order: Order, actor, reason: str) -> Order:
    """A pharmacist rejects the order: the hold on the card is released, stock
    returns, and the customer is told why."""
    _check_permission(actor, REVIEW_PERMISSION)
    reason = (reason or "").strip()
    if not reason:
        raise OrderActionRefused("Please give the customer a reason for the rejection.")
    return _release_money(
        order,
        actor=actor,
        action=OrderPayment.Action.REJECT,
        reason=reason,
        statuses=UNDECIDED,
    )


def order_dispatch(
    *, order: Order, actor, tracking_reference: str, carrier: str = ""
) -> Order:
    """Hand an approved order to the carrier, with its tracking reference.
    Refused until the pharmacist has recorded counselling (given or declined)."""
    _check_permission(actor, DISPATCH_PERMISSION)
    tracking_reference = (tracking_reference or "").strip()
    carrier = (carrier or "").strip()
    if not tracking_reference:
        raise OrderActionRefused("Please enter the carrier's tracking reference.")
    tracking = f"{carrier} {tracking_reference}" if carrier else tracking_reference
    with transaction.atomic():
        order = _locked(order)
        _require_status(order, OrderStatus.APPROVED)
        if prescriptions.order_needs_prescription(order=order):
            prescription = _prescription(order)
            if (
                prescription is None
                or prescription.decision != Prescription.Decision.APPROVED
            ):
                raise OrderActionRefused(
                    "A pharmacist has not approved this order's prescription."
                )
            if not pharmacist.counselling_done(order=order):
                raise OrderActionRefused(
                    "Record the counselling (given or declined) before dispatch."
                )
        event_type, _ = ShippingEventType.objects.get_or_create(name="Dispatched")
        event = ShippingEvent.objects.create(
            order=order, event_type=event_type, notes=f"Tracking: {tracking}"
        )
        for line in order.lines.select_related("stockrecord"):
            event.line_quantities.create(line=line, quantity=line.quantity)
            if line.stockrecord:
                line.stockrecord.consume_allocation(line.quantity)
        _move(
            order,
            actor=actor,
            to_status=OrderStatus.DISPATCHED,
            action="dispatched",
            note=f"Tracking: {tracking}",
        )
        notifications.order_email_send(
            order=order,
            code=notifications.ORDER_DISPATCHED,
            tracking_reference=tracking_reference,
            carrier=carrier,
        )
    return order


def order_cancel(*, order: Order, actor, reason: str) -> Order:
    """Cancel an order that has not shipped, at the customer's request; the
    card hold is released (or the charge refunded) and the customer is told,
    with the reason."""
    _check_permission(actor, REVIEW_PERMISSION)
    reason = (reason or "").strip()
    if not reason:
        raise OrderActionRefused("Please record why the order is cancelled.")
    return _release_money(
        order,
        actor=actor,
        action=OrderPayment.Action.CANCEL,
        reason=reason,
        statuses=(*UNDECIDED, OrderStatus.APPROVED),
    )


def order_hold(*, order: Order, actor, reason: str) -> Order:
    """Put an undecided order on hold while the pharmacist waits for the
    prescriber; the customer is emailed the reason. The card hold stays."""
    _check_permission(actor, REVIEW_PERMISSION)
    reason = (reason or "").strip()
    if not reason:
        raise OrderActionRefused("Please tell the customer why the order is on hold.")
    with transaction.atomic():
        order = _locked(order)
        _require_status(
            order, OrderStatus.AWAITING_REVIEW, OrderStatus.PRESCRIPTION_REQUESTED
        )
        _move(
            order,
            actor=actor,
            to_status=OrderStatus.ON_HOLD,
            action="put on hold",
            note=reason,
        )
        notifications.order_email_send(
            order=order, code=notifications.ORDER_ON_HOLD, reason=reason
        )
    return order


def order_prescription_request(*, order: Order, actor, note: str = "") -> Order:
    """Record that the pharmacist asked the prescriber (whose details the
    customer gave) for the prescription."""
    _check_permission(actor, REVIEW_PERMISSION)
    with transaction.atomic():
        order = _locked(order)
        _require_status(order, OrderStatus.AWAITING_REVIEW, OrderStatus.ON_HOLD)
        prescription = _prescription(order)
        if (
            prescription is None
            or prescription.source != Prescription.Source.PRESCRIBER
        ):
            raise OrderActionRefused(
                "Only an order that gave the prescriber's details can wait for "
                "the prescriber."
            )
        _move(
            order,
            actor=actor,
            to_status=OrderStatus.PRESCRIPTION_REQUESTED,
            action="prescription requested",
            note=(note or "").strip(),
        )
    return order


def order_resume(*, order: Order, actor, note: str = "") -> Order:
    """Back to awaiting review: the prescriber answered, or the hold is over."""
    _check_permission(actor, REVIEW_PERMISSION)
    with transaction.atomic():
        order = _locked(order)
        _require_status(order, OrderStatus.ON_HOLD, OrderStatus.PRESCRIPTION_REQUESTED)
        _move(
            order,
            actor=actor,
            to_status=OrderStatus.AWAITING_REVIEW,
            action="back to review",
            note=(note or "").strip(),
        )
    return order


def _release_stock(order: Order) -> None:
    # Oscar signals the stock record's save; catalog/receivers.py refreshes the
    # cached pages if the pack comes back into stock.
    for line in order.lines.select_related("stockrecord__product"):
        if line.stockrecord:
            line.stockrecord.cancel_allocation(line.quantity)
