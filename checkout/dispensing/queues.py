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


CLOSED = workflow.CLOSED
REVIEW, DISPATCH, HOLD, ALL = "review", "dispatch", "hold", "all"
QUEUES: dict[str, Queue] = {
    REVIEW: Queue("Awaiting review", (OrderStatus.AWAITING_REVIEW,)),
    DISPATCH: Queue("Approved, awaiting dispatch", (OrderStatus.APPROVED,)),
    HOLD: Queue(
        "On hold or waiting for the prescriber",
        (OrderStatus.ON_HOLD, OrderStatus.PRESCRIPTION_REQUESTED),
    ),
    ALL: Queue("All orders", None),
}
DEFAULT = REVIEW


def open_statuses() -> list[str]:
    return [status for status in OrderStatus.values if status not in CLOSED]


def queues_showing(*, status: str) -> list[str]:
    """The queues (other than "all") that list an order in ``status``."""
    return [
        name
        for name, queue in QUEUES.items()
        if queue.statuses is not None and status in queue.statuses
    ]
