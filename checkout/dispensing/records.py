"""The pharmacist's prescription record: what approval needs from it, and
saving it with who did it.

Plain functions. ``approval_refusals`` is the one place that decides whether a
record allows an order to be approved; the order workflow asks it
(decisions.py).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Q

from catalog import selectors
from checkout.dispensing import prescriptions
from checkout.dispensing.directions import directions_read
from checkout.dispensing.models import Prescription, PrescriptionRecord
from checkout.orders.models import OrderEvent

# What a complete record has: field name -> what the pharmacist is told is missing.
REQUIRED_FIELDS = {
    "prescriber_name": "prescriber's name",
    "prescriber_npi": "prescriber's NPI",
    "date_written": "date written",
    "drug": "drug",
    "strength": "strength",
    "quantity_prescribed": "quantity prescribed",
    "directions": "directions",
    "dose_mg": "dose (mg each time)",
    "doses_per_day": "times a day",
    "refills_authorised": "refills authorised",
    "quantity_left": "quantity left",
}
# Optional: the label prints it only when the prescriber gave it.
OPTIONAL_FIELDS = {"purpose": "purpose"}
EDITABLE_FIELDS = (*REQUIRED_FIELDS, *OPTIONAL_FIELDS)


@dataclass(frozen=True)
class OrderedDrug:
    """One order line as the rules see it."""

    title: str
    drug_id: int | None
    drug_name: str
    strength_mg: Decimal | None
    tablets: int  # in the whole line: tablets per pack x packs


def ordered_drugs(*, order) -> list[OrderedDrug]:
    """The order's prescription-only lines, with strength and tablet count."""
    rows = []
    for line in order.lines.all():
        product = line.product
        if product is None or not prescriptions._needs_prescription(product):
            continue
        drug = product.parent.drug if product.is_child else product.drug
        facts = selectors.variant_facts(product=product)
        rows.append(
            OrderedDrug(
                title=line.title,
                drug_id=drug.pk,
                drug_name=drug.generic_name,
                strength_mg=facts[0] if facts else None,
                tablets=(facts[1] * line.quantity) if facts else 0,
            )
        )
    return rows


def record_for(*, order) -> PrescriptionRecord | None:
    """The order's own record, or for a refill the record it is filled from."""
    return (
        PrescriptionRecord.objects.filter(
            Q(prescription__order=order) | Q(refills__order=order)
        )
        .distinct()
        .select_related("drug", "strength", "entered_by", "updated_by")
        .first()
    )


def record_missing_fields(*, record: PrescriptionRecord) -> list[str]:
    return [
        label
        for name, label in REQUIRED_FIELDS.items()
        if getattr(record, name) in (None, "")
    ]


def _mg(value: Decimal) -> str:
    return f"{value.normalize():f} mg"


def approval_refusals(*, order, record: PrescriptionRecord | None) -> list[str]:
    """Why the prescription record does not (yet) allow this order's approval.

    Empty when the order needs no prescription, or when the record is complete,
    every prescription line is the drug and strength prescribed, and the tablets
    ordered are no more than the quantity left on the prescription.
    """
    lines = ordered_drugs(order=order)
    if not lines:
        return []
    if record is None:
        return ["There is no prescription record yet: transcribe the prescription."]
    if record.withdrawn_at is not None:
        return [
            f"The prescriber cancelled this prescription on "
            f"{record.withdrawn_at:%Y-%m-%d}: it can't be approved. Reject or "
            "cancel the order."
        ]
    missing = record_missing_fields(record=record)
    if missing:
        return [f"The prescription record is incomplete: add the {', '.join(missing)}."]
    refusals = []
    for line in lines:
        if line.drug_id != record.drug_id:
            refusals.append(
                f"{line.title} is {line.drug_name}, but the prescription is for "
                f"{record.drug.generic_name}."
            )
        elif line.strength_mg != record.strength.mg:
            ordered = _mg(line.strength_mg) if line.strength_mg else "unknown"
            refusals.append(
                f"Strength ordered ({ordered}) differs from the strength prescribed "
                f"({_mg(record.strength.mg)})."
            )
    tablets = sum(line.tablets for line in lines)
    if tablets > record.quantity_left:
        refusals.append(
            f"Quantity ordered ({tablets} tablets) is more than the quantity left "
            f"on the prescription ({record.quantity_left} tablets)."
        )
    return refusals


def initial_quantity_left(
    *, quantity_prescribed: int | None, refills_authorised: int | None
) -> int | None:
    """A new prescription's tablets: the first fill plus every refill."""
    if quantity_prescribed is None or refills_authorised is None:
        return None
    return quantity_prescribed * (1 + refills_authorised)


class DoseUnclear(ValueError):
    """The dose to save is not settled. ``fields`` are those the pharmacist
    must fill in or correct; the message says why."""

    def __init__(self, message: str, *, fields: tuple[str, ...]):
        super().__init__(message)
        self.fields = fields


def record_dose(
    *,
    directions: str,
    strength_mg: Decimal | None,
    dose_mg: Decimal | None,
    doses_per_day: int | None,
) -> tuple[Decimal | None, int | None]:
    """(mg each time, times a day) that a record saves.

    What the pharmacist entered stands, and a field left blank is read from
    the directions (directions.directions_read). Raises DoseUnclear when the
    directions are given but not understood and a field is blank, so nothing
    is saved as if understood, or when what was entered contradicts what the
    directions say. Without directions the record is still being written:
    the fields are kept as entered, and approval says what is missing.
    """
    if not (directions or "").strip():
        return dose_mg, doses_per_day
    reading = directions_read(text=directions)
    blank = tuple(
        name
        for name, value in (("dose_mg", dose_mg), ("doses_per_day", doses_per_day))
        if value in (None, "")
    )
    if not reading.understood:
        if blank:
            raise DoseUnclear(
                f"We could not read these directions. {reading.reason} Enter the "
                "dose (mg each time) and the times a day.",
                fields=blank,
            )
        return dose_mg, doses_per_day
    read_mg = reading.dose_mg(strength_mg=strength_mg)
    if read_mg is None and dose_mg is None:
        raise DoseUnclear(
            "The directions give the dose in tablets: choose the strength, or "
            "enter the dose (mg each time).",
            fields=("strength", "dose_mg"),
        )
    wrong = tuple(
        name
        for name, given, read in (
            ("dose_mg", dose_mg, read_mg),
            ("doses_per_day", doses_per_day, reading.times_a_day),
        )
        if given is not None and read is not None and given != read
    )
    if wrong:
        each = f", {_mg(read_mg)} each time" if read_mg and reading.mg is None else ""
        raise DoseUnclear(
            f"The directions read as {reading.describe()}{each}, which the dose "
            "or times a day entered contradict: correct one, or empty the dose "
            "and the times a day to use the directions.",
            fields=wrong,
        )
    return (
        dose_mg if dose_mg is not None else read_mg,
        doses_per_day if doses_per_day is not None else reading.times_a_day,
    )


def dose_words(record: PrescriptionRecord) -> str:
    """ " Dose: 10 mg, 3 times a day.", to confirm what was saved; "" if unset."""
    if record.dose_mg is None or not record.doses_per_day:
        return ""
    times = "once" if record.doses_per_day == 1 else f"{record.doses_per_day} times"
    return f" Dose: {_mg(record.dose_mg)}, {times} a day."


def record_save(
    *, prescription: Prescription, actor, data: dict, order=None
) -> PrescriptionRecord:
    """Create or update the order's prescription record from ``data`` (the
    EDITABLE_FIELDS) and note which fields changed in the history of
    ``order`` (by default the prescription's own; an e-prescription has none).

    The caller checks the actor's permission (the admin view, for pharmacists).
    """
    with transaction.atomic():
        record = (
            PrescriptionRecord.objects.select_for_update()
            .filter(prescription=prescription)
            .first()
        )
        created = record is None
        if created:
            record = PrescriptionRecord(prescription=prescription, entered_by=actor)
        changed = [
            name
            for name in EDITABLE_FIELDS
            if name in data and getattr(record, name) != data[name]
        ]
        dose_before = {"dose_mg": record.dose_mg, "doses_per_day": record.doses_per_day}
        for name in changed:
            setattr(record, name, data[name])
        record.dose_mg, record.doses_per_day = record_dose(
            directions=record.directions,
            strength_mg=record.strength.mg if record.strength else None,
            dose_mg=record.dose_mg,
            doses_per_day=record.doses_per_day,
        )
        changed += [
            name
            for name, before in dose_before.items()
            if name not in changed and before != getattr(record, name)
        ]
        if record.quantity_left is None:
            record.quantity_left = initial_quantity_left(
                quantity_prescribed=record.quantity_prescribed,
                refills_authorised=record.refills_authorised,
            )
        if not created and not changed:
            return record
        record.updated_by = actor
        record.save()
        OrderEvent.objects.create(
            order=order or prescription.order,
            actor=actor,
            action="record created" if created else "record edited",
            # Which fields, not their values: the history lists actions.
            note="Changed: "
            + ", ".join({**REQUIRED_FIELDS, **OPTIONAL_FIELDS}[n] for n in changed)
            if changed
            else "",
        )
    return record


def record_supply_take(*, record: PrescriptionRecord, tablets: int) -> None:
    """Take an approved order's tablets from what is left on the prescription.
    Call inside the approval's transaction, after approval_refusals passed."""
    record.quantity_left -= tablets
    record.save(update_fields=["quantity_left", "updated_at"])
