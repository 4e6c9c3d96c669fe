"""What a customer sees of an order's progress: the timeline on the order status
pages, and which guest orders this browser may see without asking for the
email again.

The timeline is built from the order's history (OrderEvent), which every
workflow action writes; what the customer sees of an action (its title and
tone) is declared with the action in workflow.py, and an action the customer
is not shown (back to review, a flag acknowledged) is left out.
"""

from dataclasses import dataclass
from datetime import datetime

from oscar.apps.order.models import Order

from checkout.orders.models import OrderEvent
from checkout.orders.workflow import (
    CANCEL,
    DISPATCH,
    HOLD,
    REJECT,
    OrderStatus,
    action_for_history,
)

SESSION_KEY = "guest_order_numbers"
REMEMBERED_ORDERS = 20


@dataclass(frozen=True)
class TimelineEntry:
    title: str
    when: datetime
    details: list[str]
    tone: str = "neutral"  # "good", "bad" or "neutral": a CSS class, never the only cue


def _first_line(note: str) -> str:
    # Rejection and cancellation notes are "reason\npayment note"; the reason
    # was written for the customer, the payment note for staff.
    return note.split("\n", 1)[0].strip()


def _dispatch_details(note: str) -> list[str]:
    details = []
    for line in note.splitlines():
        label, _, value = line.partition(":")
        if label.strip() == "Carrier" and value.strip():
            details.append(f"Carrier: {value.strip()}")
        if label.strip() == "Tracking" and value.strip():
            details.append(f"Tracking reference: {value.strip()}")
    return details


def _with_reason(note: str) -> list[str]:
    reason = _first_line(note)
    return [f"Reason: {reason}"] if reason else []


# The details an entry shows, read from its history note.
DETAILS = {
    HOLD.name: _with_reason,
    REJECT.name: _with_reason,
    CANCEL.name: _with_reason,
    DISPATCH.name: _dispatch_details,
}


def order_timeline(*, order: Order) -> list[TimelineEntry]:
    """Placed, then each recorded status change in order; one query."""
    entries = [
        TimelineEntry(
            title="Order placed", when=order.date_placed, details=[], tone="good"
        )
    ]
    for event in OrderEvent.objects.filter(order=order).order_by("created_at", "id"):
        action = action_for_history(event.action)
        if action is None or action.customer_sees is None:
            continue
        title, tone = action.customer_sees
        details = DETAILS.get(action.name)
        entries.append(
            TimelineEntry(
                title=title,
                when=event.created_at,
                details=details(event.note) if details else [],
                tone=tone,
            )
        )
    return entries


def hold_reason(*, order: Order) -> str | None:
    """While the order is on hold, why, in the words the customer was
    emailed; else None."""
    if order.status != OrderStatus.ON_HOLD:
        return None
    event = (
        OrderEvent.objects.filter(order=order, action=HOLD.history)
        .order_by("-created_at", "-id")
        .first()
    )
    return _first_line(event.note) if event else ""


def guest_order_remember(*, session, order_number: str) -> None:
    """This browser placed the order: it may see the order's status page."""
    remembered = session.get(SESSION_KEY, [])
    if remembered and remembered[-1] == order_number:
        return  # already the latest: the session needs no write
    numbers = [n for n in remembered if n != order_number]
    session[SESSION_KEY] = (numbers + [order_number])[-REMEMBERED_ORDERS:]


def guest_order_remembered(*, session, order_number: str) -> bool:
    return order_number in session.get(SESSION_KEY, [])
