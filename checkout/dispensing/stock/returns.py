"""A filled package that comes back.

Undelivered (the carrier returned it sealed): each line's packs go back to
their lot, unless the lot has expired or expires within a year of the fill,
when they are destroyed instead. Delivered (it reached the patient): never
back into stock, whatever its state; the return is refused and the packs are
recorded as destroyed. Every outcome is a StockReturn row and a line in the
order's history.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from checkout.dispensing.stock import counts
from checkout.dispensing.stock.models import Fill, Lot, StockReturn
from checkout.orders.models import OrderEvent

# A returned pack goes back on the shelf only with a year of life left
# counted from its fill.
RESTOCK_MIN_LIFE = datetime.timedelta(days=365)


class ReturnRefused(Exception):
    """Nothing was recorded; the message says why."""


@dataclass(frozen=True)
class ReturnResult:
    returns: list[StockReturn]
    refused: str = ""  # set when the medicine reached the patient

    @property
    def restocked(self) -> int:
        return sum(
            r.packs for r in self.returns if r.outcome == StockReturn.Outcome.RESTOCKED
        )


def _outcome(*, lot: Lot, filled_on: datetime.date, today: datetime.date, delivered):
    if delivered:
        return StockReturn.Outcome.DESTROYED, (
            "Reached the patient: dispensed medicine never goes back into stock."
        )
    if lot.expires_on < today:
        return StockReturn.Outcome.DESTROYED, (
            f"Lot {lot.lot_number} expired on {lot.expires_on:%Y-%m-%d}."
        )
    if lot.expires_on < filled_on + RESTOCK_MIN_LIFE:
        return StockReturn.Outcome.DESTROYED, (
            f"Lot {lot.lot_number} expires on {lot.expires_on:%Y-%m-%d}, within a "
            f"year of the fill on {filled_on:%Y-%m-%d}."
        )
    if hasattr(lot, "recall") or lot.recall_notice:
        return StockReturn.Outcome.DESTROYED, f"Lot {lot.lot_number} is recalled."
    return StockReturn.Outcome.RESTOCKED, f"Back to lot {lot.lot_number}."


def fill_return(*, order, actor, delivered: bool) -> ReturnResult:
    """Record the return of a filled order's package; see the module doc."""
    today = timezone.localdate()
    with transaction.atomic():
        fill = (
            Fill.objects.select_for_update()
            .filter(order_id=order.pk)
            .prefetch_related("lines")
            .first()
        )
        if fill is None:
            raise ReturnRefused(f"Order {order.number} was never filled.")
        lines = list(fill.lines.select_related("lot__recall").order_by("pk"))
        if StockReturn.objects.filter(fill_line__in=lines).exists():
            raise ReturnRefused(f"The return of order {order.number} is recorded.")
        returns = []
        for line in lines:
            lot = Lot.objects.select_for_update().get(pk=line.lot_id)
            outcome, reason = _outcome(
                lot=line.lot,
                filled_on=fill.filled_at.date(),
                today=today,
                delivered=delivered,
            )
            if outcome == StockReturn.Outcome.RESTOCKED:
                lot.quantity_left += line.packs
                lot.save(update_fields=["quantity_left"])
            returns.append(
                StockReturn.objects.create(
                    fill_line=line,
                    delivered=delivered,
                    outcome=outcome,
                    packs=line.packs,
                    reason=reason,
                    recorded_by=actor,
                )
            )
        OrderEvent.objects.create(
            order=order,
            actor=actor,
            action="returned",
            from_status=order.status,
            to_status=order.status,
            note="\n".join(
                f"{r.packs} pack(s): {r.get_outcome_display().lower()}. {r.reason}"
                for r in returns
            ),
        )
        counts.stock_counts_sync(product_ids=[line.lot.product_id for line in lines])
    refused = (
        "Medicine that reached the patient never goes back into stock: the return "
        "is refused and the packs are recorded as destroyed."
        if delivered
        else ""
    )
    return ReturnResult(returns=returns, refused=refused)
