"""Refill rules: whose prescriptions they are, what is left, when a refill is
allowed, and which pack fills it. Plain functions over checkout.PrescriptionRecord.

``refill_refusal`` is the one place that decides whether a refill may be
requested; the account page, the refill request and the reminder job ask it.
"""

import datetime
import math
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Max, Q
from django.utils import timezone
from oscar.apps.order.models import Order

from catalog import markets, selectors
from checkout.dispensing.models import Prescription, PrescriptionRecord
from checkout.dispensing.records import ordered_drugs
from checkout.dispensing.refills.models import TransferRequest
from checkout.orders.workflow import OrderStatus

FILLED = (OrderStatus.APPROVED, OrderStatus.FILLED, OrderStatus.DISPATCHED)
UNDECIDED = (
    OrderStatus.AWAITING_REVIEW,
    OrderStatus.ON_HOLD,
    OrderStatus.PRESCRIPTION_REQUESTED,
)


def rx_number(*, record: PrescriptionRecord) -> str:
    """The pharmacy's prescription number, shown to the customer."""
    return f"RX-{record.pk:06d}"


def records_of(*, user) -> list[PrescriptionRecord]:
    """The customer's verified prescriptions: approved at a first order placed
    from their account, transferred to us at their request, or sent to us by
    their prescriber (an e-prescription matched to them)."""
    if not user.is_authenticated:
        return []
    return list(
        PrescriptionRecord.objects.filter(
            Q(
                prescription__order__user=user,
                prescription__decision=Prescription.Decision.APPROVED,
                prescription__source__in=[
                    Prescription.Source.UPLOAD,
                    Prescription.Source.PRESCRIBER,
                ],
            )
            | Q(
                prescription__transfer__user=user,
                prescription__transfer__status=TransferRequest.Status.COMPLETED,
            )
            | Q(
                prescription__source=Prescription.Source.ERX,
                prescription__eprescription__customer=user,
            )
        )
        .select_related("drug", "strength", "prescription")
        .order_by("-date_written", "-pk")
    )


def record_of(*, user, pk: int) -> PrescriptionRecord | None:
    return next((r for r in records_of(user=user) if r.pk == pk), None)


@dataclass(frozen=True)
class Fill:
    order: Order
    tablets: int
    filled_at: datetime.datetime  # when the pharmacist approved it


def fills(*, record: PrescriptionRecord) -> list[Fill]:
    """Every approved supply from this prescription, oldest first."""
    orders = (
        Order.objects.filter(
            Q(prescription__pk=record.prescription_id)
            | Q(prescription__refill_of=record),
            status__in=FILLED,
        )
        .annotate(
            approved_at=Max("events__created_at", filter=Q(events__action="approved"))
        )
        .prefetch_related("lines__product__parent__drug")
        .order_by("approved_at", "pk")
    )
    return [
        Fill(
            order=order,
            tablets=sum(line.tablets for line in ordered_drugs(order=order)),
            filled_at=order.approved_at or order.date_placed,
        )
        for order in orders
    ]


def daily_mg(*, record: PrescriptionRecord) -> Decimal | None:
    if record.dose_mg is None or not record.doses_per_day:
        return None
    return record.dose_mg * record.doses_per_day


def days_of_supply(*, record: PrescriptionRecord, tablets: int) -> int | None:
    """Whole days `tablets` of the prescribed strength last at the prescribed dose."""
    daily = daily_mg(record=record)
    if not daily or record.strength is None:
        return None
    return math.floor(tablets * record.strength.mg / daily)


def expiry_date(*, record: PrescriptionRecord) -> datetime.date | None:
    if record.date_written is None:
        return None
    return record.date_written + datetime.timedelta(
        days=settings.PRESCRIPTION_VALID_DAYS
    )


def refills_left(*, record: PrescriptionRecord) -> int:
    """Whole fills of the prescribed quantity still left."""
    if not record.quantity_prescribed or not record.quantity_left:
        return 0
    return record.quantity_left // record.quantity_prescribed


def supply_runs_out(
    *, record: PrescriptionRecord, fill: Fill
) -> datetime.datetime | None:
    days = days_of_supply(record=record, tablets=fill.tablets)
    if days is None:
        return None
    return fill.filled_at + datetime.timedelta(days=days)


def _pending_refill(record: PrescriptionRecord) -> Order | None:
    return Order.objects.filter(
        prescription__refill_of=record, status__in=UNDECIDED
    ).first()


@dataclass(frozen=True)
class TooEarly:
    days: int  # the last fill's days of supply
    days_left: int  # whole days of it left now
    allowed_from: datetime.datetime


def too_early(
    *, record: PrescriptionRecord, now: datetime.datetime | None = None
) -> TooEarly | None:
    """Whether the last approved fill of ``record`` still has more than the
    allowed share of its days left. Asked when a refill is requested and
    again when it is approved, since two refills requested at once both pass
    the first question."""
    history = fills(record=record)
    if not history:
        return None
    last = history[-1]
    days = days_of_supply(record=record, tablets=last.tablets)
    runs_out = supply_runs_out(record=record, fill=last)
    if not days or runs_out is None:
        return None
    now = now or timezone.now()
    days_left = (runs_out - now).total_seconds() / 86400
    share = settings.REFILL_TOO_EARLY_SHARE_LEFT
    if days_left <= share * days:
        return None
    return TooEarly(
        days=days,
        days_left=math.floor(days_left),
        allowed_from=runs_out - datetime.timedelta(days=share * days),
    )


def refill_refusal(
    *, record: PrescriptionRecord, now: datetime.datetime | None = None
) -> str | None:
    """Why this prescription can't be refilled now, or None if it can."""
    now = now or timezone.now()
    rx = rx_number(record=record)
    if record.withdrawn_at is not None:
        return (
            f"Your prescriber cancelled prescription {rx}, so it can't be filled. "
            "Please ask your prescriber if you need a new prescription."
        )
    if not record.quantity_left or refills_left(record=record) < 1:
        return (
            f"Nothing is left to fill on prescription {rx}: every refill has been "
            "used. Please ask your prescriber for a new prescription."
        )
    expires = expiry_date(record=record)
    if expires is None or timezone.localdate(now) > expires:
        when = f" on {expires:%B} {expires.day}, {expires.year}" if expires else ""
        return (
            f"Prescription {rx} expired{when}. Please ask your prescriber for a new "
            "prescription."
        )
    if _pending_refill(record) is not None:
        return f"A refill of prescription {rx} is already waiting for our pharmacist."
    early = too_early(record=record, now=now)
    if early is not None:
        day = timezone.localdate(early.allowed_from)
        return (
            f"It is too early to refill prescription {rx}: your last supply "
            f"of {early.days} days has about {early.days_left} days left. "
            f"You can request a refill from {day:%B} {day.day}, {day.year}."
        )
    market = markets.current_market()
    market_refusal = markets.strength_sale_refusal(
        strength=record.strength, market=market
    )
    if market_refusal:
        return f"{markets.not_sold_label(market=market)}: {market_refusal}"
    if refill_pack(record=record) is None:
        return (
            f"We have no pack of this strength in stock that fits what is left on "
            f"prescription {rx}. Please call us."
        )
    return None


def refill_pack(*, record: PrescriptionRecord) -> int | None:
    """The product id of the pack a refill puts in the basket: the size of the
    last fill (or the quantity prescribed), or failing that the largest pack on
    sale that is no more than what is left."""
    table = selectors.product_price_table(product=record.drug.product)
    mg = selectors.canonical_mg(record.strength.mg)
    packs = [
        v
        for v in table.variants
        if v.strength_mg == mg and v.is_available and v.tablets <= record.quantity_left
    ]
    if not packs:
        return None
    history = fills(record=record)
    wanted = record.quantity_prescribed
    if history:
        facts = [
            selectors.variant_facts(product=line.product)
            for line in history[-1].order.lines.all()
            if line.product
        ]
        wanted = next((f[1] for f in facts if f), wanted)
    exact = [v for v in packs if v.tablets == wanted]
    return (exact or sorted(packs, key=lambda v: v.tablets))[-1].product_id
