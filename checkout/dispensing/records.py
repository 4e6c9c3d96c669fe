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
from checkout.dispensing import clinical, prescriptions
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
EDITABLE_FIELDS = tuple(REQUIRED_FIELDS)


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


def record_save(*, prescription: Prescription, actor, data: dict) -> PrescriptionRecord:
    """Create or update the order's prescription record from ``data`` (the
    EDITABLE_FIELDS) and note which fields changed in the order's history.

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
        for name in changed:
            setattr(record, name, data[name])
        if record.dose_mg is None or record.doses_per_day is None:
            # "10 mg three times a day" gives both; the pharmacist may override.
            parsed = clinical.parse_directions(directions=record.directions)
            if parsed is not None:
                record.dose_mg = record.dose_mg or parsed[0]
                record.doses_per_day = record.doses_per_day or parsed[1]
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
            order=prescription.order,
            actor=actor,
            action="record created" if created else "record edited",
            # Which fields, not their values: the history lists actions.
            note="Changed: " + ", ".join(REQUIRED_FIELDS[n] for n in changed)
            if changed
            else "",
        )
    return record


def record_supply_take(*, record: PrescriptionRecord, tablets: int) -> None:
    """Take an approved order's tablets from what is left on the prescription.
    Call inside the approval's transaction, after approval_refusals passed."""
    record.quantity_left -= tablets
    record.save(update_fields=["quantity_left", "updated_at"])
