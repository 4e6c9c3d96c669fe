"""How long orders waited for a pharmacist, day by day, read from the order's
history (OrderEvent): from the moment an order was placed to the pharmacist's
first decision on it (approve, hold, ask the prescriber, reject or cancel).

Each day counts the orders whose first decision fell on it (in the store's
time zone) and the longest of their waits. An order still waiting has no
first decision yet; the figures page shows it among the orders waiting now.
"""

import datetime
from typing import NamedTuple

from django.db.models import Min
from django.utils import timezone
from oscar.apps.order.models import Order

from checkout.orders import workflow
from checkout.orders.models import OrderEvent
from pharmacy.staff.roles import Perm

CHART_DAYS = 30


def decision_histories() -> frozenset[str]:
    """The history entries that are a pharmacist deciding on a new order:
    every action the review permission takes from "awaiting review"."""
    return frozenset(
        action.history
        for action in workflow.ACTIONS.values()
        if action.permission == Perm.REVIEW_PRESCRIPTIONS
        and workflow.OrderStatus.AWAITING_REVIEW in action.starts_from
    )


class DayWait(NamedTuple):
    day: datetime.date
    decided: int  # orders whose first decision fell on this day
    longest_seconds: float | None  # None when none was decided


def daily_longest_waits(
    *, days: int = CHART_DAYS, now: datetime.datetime | None = None
) -> list[DayWait]:
    """One entry per day, oldest first, ending today: the ``days`` days of
    the chart."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    first_day = today - datetime.timedelta(days=days - 1)
    start = timezone.make_aware(datetime.datetime.combine(first_day, datetime.time.min))
    # An order's first decision, if it fell in the window; a later decision
    # on an order decided before the window does not count again.
    first_decisions = (
        OrderEvent.objects.filter(action__in=decision_histories())
        .values("order")
        .annotate(first=Min("created_at"))
        .filter(first__gte=start, first__lte=now)
    )
    decided_at = {row["order"]: row["first"] for row in first_decisions}
    placed = Order.objects.filter(pk__in=list(decided_at)).values_list(
        "pk", "date_placed"
    )
    waits: dict[datetime.date, list[float]] = {}
    for pk, date_placed in placed:
        decided = decided_at[pk]
        day = timezone.localdate(decided)
        waits.setdefault(day, []).append((decided - date_placed).total_seconds())
    result = []
    for offset in range(days):
        day = first_day + datetime.timedelta(days=offset)
        found = waits.get(day, [])
        result.append(
            DayWait(
                day=day,
                decided=len(found),
                longest_seconds=max(found) if found else None,
            )
        )
    return result
