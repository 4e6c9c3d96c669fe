"""What the pharmacist's review of one order reads and records, apart from
status changes (the order workflow makes those: checkout/orders/actions.py).

- ``order_flags``: the clinical flags of an order (rules in clinical.py);
- ``flags_acknowledge``, ``counselling_record``, ``patient_profile_update``:
  each saves who did it and adds a line to the order's history (OrderEvent).
Callers check that the actor is a pharmacist; these functions check too.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from checkout.dispensing import clinical, prescriptions
from checkout.dispensing.directions import directions_read
from checkout.dispensing.models import (
    CounsellingRecord,
    FlagAcknowledgement,
    PatientDetails,
    PrescriptionRecord,
)
from checkout.dispensing.records import ordered_drugs
from checkout.orders.models import OrderEvent
from pharmacy.staff.roles import Perm, may

PROFILE_FIELDS = {
    "allergies": "allergies",
    "medical_conditions": "medical conditions",
    "current_medicines": "current medicines",
}


class NotAllowed(Exception):
    """The actor may not do this; the message says why, for staff."""


def _check(actor) -> None:
    if not may(actor, Perm.REVIEW_PRESCRIPTIONS):
        raise NotAllowed("You do not have permission to do that.")


def patient_of(order) -> PatientDetails | None:
    try:
        return order.patient
    except PatientDetails.DoesNotExist:
        return None


def patient_age(patient: PatientDetails | None) -> int | None:
    if patient is None:
        return None
    return prescriptions.age_on(
        date_of_birth=patient.date_of_birth, today=timezone.localdate()
    )


def structured_dose(
    record: PrescriptionRecord | None,
) -> tuple[Decimal, int] | None:
    """(mg each time, times a day): as saved, else read from the directions
    (a record saved before the dose was required may lack it)."""
    if record is None:
        return None
    if record.dose_mg and record.doses_per_day:
        return record.dose_mg, record.doses_per_day
    reading = directions_read(text=record.directions)
    if not reading.understood:
        return None
    mg = reading.dose_mg(strength_mg=record.strength.mg if record.strength else None)
    return (mg, reading.times_a_day) if mg else None


def order_flags(*, order, record: PrescriptionRecord | None) -> list[clinical.Flag]:
    """Every clinical flag on the order, in a stable order."""
    patient = patient_of(order)
    flags = clinical.age_flags(age=patient_age(patient))
    dose = structured_dose(record)
    seen = set()
    for line in order.lines.all():
        product = line.product
        if product is None or not prescriptions._needs_prescription(product):
            continue
        drug = product.parent.drug if product.is_child else product.drug
        if drug.pk in seen:
            continue
        seen.add(drug.pk)
        if patient is not None:
            flags += clinical.caution_flags(
                drug_name=drug.generic_name,
                cautions=drug.cautions.all(),
                current_medicines=patient.current_medicines,
                medical_conditions=patient.medical_conditions,
            )
        if dose and record and record.drug_id == drug.pk:
            flags += clinical.dose_flags(
                drug_name=drug.generic_name,
                dose_mg=dose[0],
                doses_per_day=dose[1],
                max_daily_mg=drug.max_daily_dose_mg,
            )
    return flags


def order_days_of_supply(*, order, record: PrescriptionRecord | None) -> int | None:
    """Days the order's tablets last at the prescribed dose, if known."""
    dose = structured_dose(record)
    lines = [
        line for line in ordered_drugs(order=order) if line.strength_mg is not None
    ]
    if dose is None or not lines:
        return None
    total_mg = sum(line.tablets * line.strength_mg for line in lines)
    return clinical.days_of_supply(
        tablets=1, strength_mg=total_mg, dose_mg=dose[0], doses_per_day=dose[1]
    )


def unacknowledged_flags(*, order, flags: list[clinical.Flag]) -> list[clinical.Flag]:
    done = set(
        FlagAcknowledgement.objects.filter(order=order).values_list("code", flat=True)
    )
    return [flag for flag in flags if flag.code not in done]


def flag_acknowledge(*, order, actor, flag: clinical.Flag, note: str) -> None:
    """Record that the pharmacist saw ``flag`` and why the order may proceed.
    A second acknowledgement of the same flag changes nothing."""
    _check(actor)
    note = (note or "").strip()
    if not note:
        raise NotAllowed("Please write a note saying why the order may proceed.")
    try:
        with transaction.atomic():
            FlagAcknowledgement.objects.create(
                order=order,
                code=flag.code,
                title=flag.title,
                note=note,
                acknowledged_by=actor,
            )
            OrderEvent.objects.create(
                order=order,
                actor=actor,
                action="flag acknowledged",
                note=f"{flag.title}: {note}",
            )
    except IntegrityError:
        pass  # already acknowledged, e.g. a double submit


def flags_acknowledge(*, order, actor, notes: list[tuple[clinical.Flag, str]]) -> None:
    """Acknowledge several flags at once, each with its note: all or none."""
    _check(actor)
    if any(not (note or "").strip() for _, note in notes):
        raise NotAllowed("Please write a note for each flag.")
    with transaction.atomic():
        for flag, note in notes:
            flag_acknowledge(order=order, actor=actor, flag=flag, note=note)


def counselling_record(*, order, actor, outcome: str, note: str = "") -> None:
    _check(actor)
    if outcome not in CounsellingRecord.Outcome.values:
        raise NotAllowed("Please say whether counselling was given or declined.")
    with transaction.atomic():
        record = CounsellingRecord.objects.create(
            order=order, outcome=outcome, note=(note or "").strip(), recorded_by=actor
        )
        OrderEvent.objects.create(
            order=order,
            actor=actor,
            action="counselling recorded",
            note=record.get_outcome_display()
            + (f": {record.note}" if record.note else ""),
        )


def counselling_done(*, order) -> bool:
    return CounsellingRecord.objects.filter(order=order).exists()


def patient_profile_update(*, patient: PatientDetails, actor, data: dict) -> list[str]:
    """Save the pharmacist's edits to allergies, conditions and medicines;
    returns the names of the fields that changed."""
    _check(actor)
    changed = [
        name
        for name in PROFILE_FIELDS
        if name in data and getattr(patient, name) != (data[name] or "").strip()
    ]
    if not changed:
        return []
    with transaction.atomic():
        for name in changed:
            setattr(patient, name, (data[name] or "").strip())
        patient.profile_updated_by = actor
        patient.profile_updated_at = timezone.now()
        patient.save(
            update_fields=[*changed, "profile_updated_by", "profile_updated_at"]
        )
        OrderEvent.objects.create(
            order=patient.order,
            actor=actor,
            action="profile edited",
            note="Changed: " + ", ".join(PROFILE_FIELDS[n] for n in changed),
        )
    return [PROFILE_FIELDS[n] for n in changed]


@dataclass(frozen=True)
class Counselling:
    """What the customer asked at checkout, for the queue and the review page."""

    wanted: bool | None
    phone: str
    best_time: str


def counselling_request(patient: PatientDetails | None) -> Counselling:
    if patient is None:
        return Counselling(wanted=None, phone="", best_time="")
    return Counselling(
        wanted=patient.counselling_wanted,
        phone=patient.counselling_phone,
        best_time=patient.counselling_best_time,
    )
