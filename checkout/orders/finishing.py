"""The last step of every workflow action: its effects, the status it ends
in, the line in the order's history, and the customer's email.

Called inside the action's transaction with the order locked, once the money
has moved: at once when no card is involved, or when Stripe's answer is
recorded (settling.py), whether a pharmacist is waiting for it or
reconciliation found it later.
"""

from oscar.apps.order.exceptions import InvalidOrderStatus
from oscar.apps.order.models import ShippingEvent, ShippingEventType

from checkout.dispensing import decisions, prescriptions
from checkout.dispensing.stock import filling
from checkout.orders import notifications
from checkout.orders.models import OrderEvent
from checkout.orders.workflow import APPROVE, Action, Effect
from checkout.payments import ledger
from checkout.payments.states import PaymentState


class OrderActionRefused(Exception):
    """The action was not taken. The message says why, for staff."""


def action_finish(
    *,
    action: Action,
    order,
    payment,
    actor,
    note: str = "",
    reason: str = "",
    email_context: dict | None = None,
    supplied=None,
    picks: dict | None = None,
) -> None:
    """Apply ``action``'s effects, move the order to the status it ends in
    and record who did it; then queue its email (sent after the commit).
    ``payment`` is the order's, locked with it; ``supplied`` the
    prescription the customer sent (prescriptions.SuppliedPrescription);
    ``picks``, a fill's lots."""
    for effect in action.effects:
        _EFFECTS[effect](
            order=order,
            payment=payment,
            actor=actor,
            reason=reason,
            note=note,
            supplied=supplied,
            picks=picks or {},
        )
    from_status = "" if not action.starts_from else order.status
    if action.ends_in is not None and action.starts_from:
        try:
            order.set_status(action.ends_in)
        except InvalidOrderStatus as exc:
            raise OrderActionRefused(
                f"Order {order.number} is {from_status}; it can't become "
                f"{action.ends_in}."
            ) from exc
    OrderEvent.objects.create(
        order=order,
        actor=actor,
        action=action.history,
        from_status=from_status,
        to_status=order.status,
        note=note,
    )
    if action.email:
        notifications.order_email_send(
            order=order, code=action.email, **(email_context or {})
        )


def _supply_taken(*, order, actor, **_) -> None:
    decisions.prescription_approve(order=order, actor=actor)


def _prescription_rejected(*, order, actor, reason, **_) -> None:
    decisions.prescription_reject(order=order, actor=actor, reason=reason)


def _stock_released(*, order, **_) -> None:
    # Oscar signals the stock record's save, which renews the cached pages if
    # the pack comes back into stock.
    for line in order.lines.select_related("stockrecord__product"):
        if line.stockrecord:
            line.stockrecord.cancel_allocation(line.quantity)


def _lots_taken(*, order, actor, picks, **_) -> None:
    filling.fill_take(order=order, actor=actor, picks=picks)


def _stock_shipped(*, order, note, **_) -> None:
    # The packs left the shelf (and their allocation) when the order was filled.
    event_type, _ = ShippingEventType.objects.get_or_create(name="Dispatched")
    event = ShippingEvent.objects.create(order=order, event_type=event_type, notes=note)
    for line in order.lines.all():
        event.line_quantities.create(line=line, quantity=line.quantity)


def _prescription_replaced(*, order, supplied, **_) -> None:
    if supplied is None:
        raise OrderActionRefused(
            "Please send a prescription or your prescriber's details."
        )
    prescriptions.order_prescription_replace(order=order, supplied=supplied)


def _approval_withdrawn(*, order, payment, actor, **_) -> None:
    """An approval whose capture is still waiting for Stripe's answer no
    longer stands: when the answer comes, it is recorded as money only."""
    if (
        payment.state == PaymentState.CAPTURE_REQUESTED
        and payment.pending_action == APPROVE.name
    ):
        ledger.payment_pending_clear(payment)
        OrderEvent.objects.create(
            order=order,
            actor=actor,
            action="approval withdrawn",
            from_status=order.status,
            to_status=order.status,
            note="The card capture was still waiting for the card processor's "
            "answer; if the card was charged, the money is kept until the order "
            "is approved, or refunded.",
        )


_EFFECTS = {
    Effect.SUPPLY_TAKEN: _supply_taken,
    Effect.PRESCRIPTION_REJECTED: _prescription_rejected,
    Effect.STOCK_RELEASED: _stock_released,
    Effect.LOTS_TAKEN: _lots_taken,
    Effect.STOCK_SHIPPED: _stock_shipped,
    Effect.APPROVAL_WITHDRAWN: _approval_withdrawn,
    Effect.PRESCRIPTION_REPLACED: _prescription_replaced,
}
