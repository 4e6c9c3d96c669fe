"""Filling an approved order from lots: which lots each line may take, why a
lot is refused, and taking the packs.

The order workflow's FILL action (checkout/orders/workflow.py) asks
``fill_refusals`` as its LOTS_PICKED check and runs ``fill_take`` as its
effect, inside its transaction with the order locked; the pharmacist's fill
page (admin/fill.py) and anything else go through ``actions.order_fill``.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from catalog import selectors
from checkout.dispensing import pharmacist, records
from checkout.dispensing.stock import counts, gs1
from checkout.dispensing.stock.models import Fill, FillLine, Lot


@dataclass(frozen=True)
class Pack:
    """What a pack is, as filling compares it."""

    drug_id: int | None
    drug_name: str
    strength_mg: Decimal | None
    tablets: int


def pack_of(product) -> Pack:
    drug = (product.parent if product.is_child else product).drug
    facts = selectors.variant_facts(product=product)
    return Pack(
        drug_id=drug.pk,
        drug_name=drug.generic_name,
        strength_mg=facts[0] if facts else None,
        tablets=facts[1] if facts else 0,
    )


def _mg(value: Decimal | None) -> str:
    return f"{value.normalize():f} mg" if value is not None else "unknown strength"


@dataclass(frozen=True)
class LineToFill:
    line: object  # oscar Line
    pack: Pack
    lots: list[Lot]  # fillable lots of this pack, first-expiring first
    suggested: Lot | None


def supply_runs_out(*, order, today: datetime.date) -> datetime.date | None:
    """The day the patient's supply runs out if filled today, from the days
    of supply the prescription record gives; None when it cannot be known."""
    days = pharmacist.order_days_of_supply(
        order=order, record=records.record_for(order=order)
    )
    return None if days is None else today + datetime.timedelta(days=days)


def lines_to_fill(*, order, today: datetime.date | None = None) -> list[LineToFill]:
    """Each order line with the lots it may take; the first that expires
    after the supply runs out and has enough packs is suggested."""
    today = today or timezone.localdate()
    runs_out = supply_runs_out(order=order, today=today)
    rows = []
    for line in order.lines.select_related("product__parent__drug").order_by("pk"):
        lots = list(
            counts.fillable_lots(today=today)
            .filter(product_id=line.product_id)
            .order_by("expires_on", "pk")
        )
        suggested = next(
            (
                lot
                for lot in lots
                if lot.quantity_left >= line.quantity
                and (runs_out is None or lot.expires_on >= runs_out)
            ),
            None,
        )
        rows.append(
            LineToFill(
                line=line, pack=pack_of(line.product), lots=lots, suggested=suggested
            )
        )
    return rows


def lot_refusal(
    *, lot: Lot, line, record, runs_out: datetime.date | None, today: datetime.date
) -> str | None:
    """Why this lot may not fill this line, in words with the dates; None when
    it may."""
    name = f"Lot {lot.lot_number}"
    if hasattr(lot, "recall"):
        return f"{name} is recalled and may not be filled."
    if lot.recall_notice:
        return (
            f"{name} is named in recall notice {lot.recall_notice}: it may not be "
            "filled."
        )
    lot_pack, line_pack = pack_of(lot.product), pack_of(line.product)
    wanted_drug = record.drug.generic_name if record else line_pack.drug_name
    wanted_drug_id = record.drug_id if record else line_pack.drug_id
    wanted_mg = record.strength.mg if record else line_pack.strength_mg
    if lot_pack.drug_id != wanted_drug_id:
        return (
            f"{name} is {lot_pack.drug_name}, but the prescription is for "
            f"{wanted_drug}."
        )
    if lot_pack.strength_mg != wanted_mg:
        return (
            f"{name} is {_mg(lot_pack.strength_mg)}, but the prescription is for "
            f"{_mg(wanted_mg)}."
        )
    if lot.product_id != line.product_id:
        return (
            f"{name} holds packs of {lot_pack.tablets} tablets; this line is packs "
            f"of {line_pack.tablets}."
        )
    if lot.expires_on < today:
        return f"{name} expired on {lot.expires_on:%Y-%m-%d}."
    if runs_out is not None and lot.expires_on < runs_out:
        return (
            f"{name} expires on {lot.expires_on:%Y-%m-%d}, before the patient's "
            f"supply runs out on {runs_out:%Y-%m-%d}: pick a later lot."
        )
    if lot.quantity_left < line.quantity:
        return (
            f"{name} has {lot.quantity_left} pack(s) left; this line needs "
            f"{line.quantity}."
        )
    return None


def fill_refusals(
    *, order, picks: dict, today: datetime.date | None = None
) -> list[str]:
    """Why the lots picked ({line id: lot id}) may not fill the order."""
    today = today or timezone.localdate()
    runs_out = supply_runs_out(order=order, today=today)
    record = records.record_for(order=order)
    # Locked until the fill commits: two orders cannot take the last packs.
    lots = {
        lot.pk: lot
        for lot in Lot.objects.filter(pk__in=[int(v) for v in picks.values() if v])
        .select_related("product__parent__drug", "recall")
        .select_for_update(of=("self",))
    }
    refusals = []
    for line in order.lines.select_related("product__parent__drug").order_by("pk"):
        lot = lots.get(int(picks.get(line.pk) or 0))
        if lot is None:
            refusals.append(f"Pick or scan a lot for {line.title}.")
            continue
        refusal = lot_refusal(
            lot=lot, line=line, record=record, runs_out=runs_out, today=today
        )
        if refusal:
            refusals.append(refusal)
    return refusals


def fill_take(*, order, actor, picks: dict) -> Fill:
    """Take each line's packs from its lot and record the fill. Called by
    the workflow after fill_refusals passed, in the same transaction."""
    today = timezone.localdate()
    record = records.record_for(order=order)
    fill = Fill.objects.create(
        order=order,
        filled_by=actor,
        days_of_supply=pharmacist.order_days_of_supply(order=order, record=record),
    )
    product_ids = []
    for line in order.lines.select_related("stockrecord", "product").order_by("pk"):
        # Locked by fill_refusals, which passed in this transaction.
        lot = Lot.objects.get(pk=int(picks[line.pk]))
        lot.quantity_left -= line.quantity
        lot.save(update_fields=["quantity_left"])
        FillLine.objects.create(
            fill=fill,
            line=line,
            lot=lot,
            packs=line.quantity,
            tablets=line.quantity * pack_of(line.product).tablets,
        )
        if line.stockrecord:
            # The packs held for the order leave the shelf now.
            line.stockrecord.consume_allocation(line.quantity)
        product_ids.append(line.product_id)
    counts.stock_counts_sync(product_ids=product_ids, today=today)
    return fill


def lot_for_scan(*, text: str) -> Lot:
    """The lot a scanned pack belongs to, or ScanError saying why not."""
    scanned = gs1.scan_read(text=text)
    lot = Lot.objects.filter(ndc=scanned.ndc, lot_number=scanned.lot_number).first()
    if lot is None:
        raise gs1.ScanError(
            f"No lot {scanned.lot_number} of NDC {scanned.ndc} has been received."
        )
    return lot
