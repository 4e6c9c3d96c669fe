"""The pharmacist's queues: which order statuses each one lists.

Every open order (one that is neither dispatched nor closed) is in at least one
queue other than "all", so no order waiting for a pharmacist can drop out of
sight; tests/unit/checkout/test_queues.py checks every OrderStatus.
"""

from typing import NamedTuple

from checkout.orders import workflow
from checkout.orders.workflow import OrderStatus


class Queue(NamedTuple):
    title: str
    statuses: tuple[str, ...] | None  # None: every order
    # How the list counts its orders: "1 order to review", "3 orders to review".
    one: str = "order"
    many: str = "orders"


CLOSED = workflow.CLOSED
REVIEW, DISPATCH, HOLD, ALL = "review", "dispatch", "hold", "all"
QUEUES: dict[str, Queue] = {
    REVIEW: Queue(
        "Awaiting review",
        (OrderStatus.AWAITING_REVIEW,),
        "order to review",
        "orders to review",
    ),
    DISPATCH: Queue(
        "Approved, to fill and dispatch",
        (OrderStatus.APPROVED, OrderStatus.FILLED),
        "order to dispatch",
        "orders to dispatch",
    ),
    HOLD: Queue(
        "On hold or waiting for the prescriber",
        (OrderStatus.ON_HOLD, OrderStatus.PRESCRIPTION_REQUESTED),
        "order on hold or waiting for the prescriber",
        "orders on hold or waiting for the prescriber",
    ),
    ALL: Queue("All orders", None),
}
DEFAULT = REVIEW


def queue_chosen(value: str | None) -> str:
    """The queue a request asked for, the default one if none or unknown."""
    return value if value in QUEUES else DEFAULT


def open_statuses() -> list[str]:
    return [status for status in OrderStatus.values if status not in CLOSED]


def queues_showing(*, status: str) -> list[str]:
    """The queues (other than "all") that list an order in ``status``."""
    return [
        name
        for name, queue in QUEUES.items()
        if queue.statuses is not None and status in queue.statuses
    ]


def queue_sizes(*, orders_by_status: dict[str, int]) -> dict[str, int]:
    """How many orders each queue lists, from the number in each status."""
    return {
        name: sum(
            count
            for status, count in orders_by_status.items()
            if queue.statuses is None or status in queue.statuses
        )
        for name, queue in QUEUES.items()
    }
