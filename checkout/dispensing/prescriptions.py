"""Rules for prescriptions and patients, and the pharmacist's view of an order.

Plain functions: forms call the checks, the admin calls the summaries, and the
order workflow (checkout/orders/) records the decisions.
"""

import datetime
from contextlib import nullcontext
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from stdnum import luhn

from checkout.dispensing import tasks, uploads
from checkout.dispensing.models import FileState, PatientDetails, Prescription

ADULT_AGE = 18
# What an accepted upload is, and the only bytes of it that may be stored.
UploadKind = uploads.CheckedUpload


def age_on(*, date_of_birth: datetime.date, today: datetime.date) -> int:
    """Whole years of age on a given day."""
    had_birthday = (today.month, today.day) >= (date_of_birth.month, date_of_birth.day)
    return today.year - date_of_birth.year - (0 if had_birthday else 1)


def patient_age_check(*, date_of_birth: datetime.date) -> int:
    """Refuse impossible dates and under-18s; return the patient's age."""
    today = timezone.localdate()
    if date_of_birth > today:
        raise ValidationError("The date of birth can't be in the future.")
    age = age_on(date_of_birth=date_of_birth, today=today)
    if age > 120:
        raise ValidationError("Please check the date of birth.")
    if age < ADULT_AGE:
        raise ValidationError(
            "We can only supply patients aged 18 or over online. Please ask your "
            "prescriber or a local pharmacy about medicines for under-18s."
        )
    return age


def npi_check(*, npi: str) -> str:
    """A US National Provider Identifier: 10 digits whose last is a Luhn check
    digit computed with the card-issuer prefix 80840."""
    npi = npi.strip().replace(" ", "")
    if len(npi) != 10 or not npi.isdigit():
        raise ValidationError("An NPI is exactly 10 digits.")
    if not luhn.is_valid("80840" + npi):
        raise ValidationError(
            "That NPI's check digit is wrong. Please check the number with your "
            "prescriber."
        )
    return npi


def prescription_upload_check(*, upload) -> UploadKind:
    """Accept a JPEG, PNG or PDF of at most the configured size, judged by
    content. The rules, and the bytes that may be stored, are decided in
    uploads.py."""
    return uploads.upload_check(upload=upload)


def basket_needs_prescription(*, basket) -> bool:
    return any(_needs_prescription(line.product) for line in basket.all_lines())


def basket_drugs(*, basket) -> list:
    """The prescription drugs in a basket, each once."""
    drugs = {}
    for line in basket.all_lines():
        product = line.product
        drug = getattr(product.parent if product.is_child else product, "drug", None)
        if drug is not None and drug.prescription_required:
            drugs[drug.pk] = drug
    return list(drugs.values())


def order_needs_prescription(*, order) -> bool:
    return any(
        line.product is not None and _needs_prescription(line.product)
        for line in order.lines.all()
    )


def _needs_prescription(product) -> bool:
    drug_product = product.parent if product.is_child else product
    drug = getattr(drug_product, "drug", None)
    return bool(drug and drug.prescription_required)


def basket_patient(*, basket) -> PatientDetails | None:
    """Who the basket's medicine is for, or None. Read once per request: the
    answer is kept on the basket, as Django keeps a one-to-one it has read,
    and saving through this module keeps it current."""
    return _basket_one_to_one(basket=basket, model=PatientDetails)


def basket_prescription(*, basket) -> Prescription | None:
    """The prescription given at checkout (with the record a refill is of),
    or None; read once per request, like basket_patient."""
    return _basket_one_to_one(basket=basket, model=Prescription)


_CHECKOUT_RELATIONS = {
    PatientDetails: PatientDetails._meta.get_field("basket").remote_field,
    Prescription: Prescription._meta.get_field("basket").remote_field,
}


def _basket_one_to_one(*, basket, model):
    if not basket.id:
        return None
    relation = _CHECKOUT_RELATIONS[model]
    if not relation.is_cached(basket):
        # Both, in one query: a checkout step that asks for one asks for the
        # other too.
        loaded = basket._meta.model.objects.select_related(
            "patient", "prescription__refill_of"
        ).get(pk=basket.pk)
        for each in _CHECKOUT_RELATIONS.values():
            if not each.is_cached(basket):
                found = getattr(loaded, each.get_accessor_name(), None)
                each.set_cached_value(basket, found)
    return relation.get_cached_value(basket)


def patient_form_initial(*, patient: PatientDetails, counselling: bool = True) -> dict:
    """The checkout's patient form filled in from these details; without
    ``counselling``, the counselling questions are left to ask again."""
    initial = {
        "full_name": patient.full_name,
        "date_of_birth": patient.date_of_birth,
        "allergies": patient.allergies,
        "medical_conditions": patient.medical_conditions,
        "current_medicines": patient.current_medicines,
    }
    if counselling:
        initial.update(
            counselling={True: "yes", False: "no"}.get(patient.counselling_wanted),
            counselling_phone=patient.counselling_phone,
            counselling_best_time=patient.counselling_best_time,
        )
    return initial


def patient_details_save(*, basket, data: dict) -> None:
    """Keep the patient's details with the basket until the order is placed."""
    fields = {
        "full_name": data["full_name"].strip(),
        "date_of_birth": data["date_of_birth"],
        "allergies": data.get("allergies", "").strip(),
        "medical_conditions": data.get("medical_conditions", "").strip(),
        "current_medicines": data.get("current_medicines", "").strip(),
        "counselling_wanted": {"yes": True, "no": False}.get(
            data.get("counselling", "")
        ),
        "counselling_phone": data.get("counselling_phone", "").strip(),
        "counselling_best_time": data.get("counselling_best_time", "").strip(),
    }
    patient = basket_patient(basket=basket)
    if patient is not None:
        for name, value in fields.items():
            setattr(patient, name, value)
        patient.save(update_fields=list(fields))
        return
    try:
        # Outside a transaction a lone INSERT needs no savepoint to fail on.
        with transaction.atomic() if connection.in_atomic_block else nullcontext():
            PatientDetails.objects.create(basket=basket, **fields)
    except IntegrityError:
        # A second submit of the form got there first: update its row.
        PatientDetails.objects.filter(basket=basket).update(**fields)


def prescription_save(*, basket, data: dict, upload_kind: UploadKind | None) -> None:
    """Keep the prescription with the basket; a new one replaces the old, file
    included, so no stray health data is left behind."""
    old = basket_prescription(basket=basket)
    if old is not None:
        if old.file:
            old.file.delete(save=False)
        old.delete()
    prescription = Prescription(basket=basket, source=data["source"])
    if data["source"] == Prescription.Source.UPLOAD:
        prescription.file_content_type = upload_kind.content_type
        # Saved under a random name with the extension of what it really is,
        # and held unseen until the task queue has re-encoded it.
        prescription.file_state = FileState.CHECKING
        prescription.file.save(
            f"upload{upload_kind.extension}",
            ContentFile(upload_kind.content),
            save=False,
        )
    else:
        prescription.prescriber_name = data["prescriber_name"].strip()
        prescription.prescriber_phone = data["prescriber_phone"].strip()
        prescription.prescriber_npi = data["prescriber_npi"]
    prescription.save()
    if prescription.file_state == FileState.CHECKING:
        transaction.on_commit(
            lambda: tasks.prescription_file_finish.delay(prescription.pk)
        )


@dataclass(frozen=True)
class SuppliedPrescription:
    """A prescription the customer sends for an order on hold: a new upload
    (the checked bytes), or the prescriber's details."""

    source: str  # Prescription.Source.UPLOAD or PRESCRIBER
    upload_kind: UploadKind | None = None
    prescriber_name: str = ""
    prescriber_phone: str = ""
    prescriber_npi: str = ""

    def history_note(self) -> str:
        # What, not the details: the history lists what happened.
        if self.source == Prescription.Source.UPLOAD:
            kind = FILE_KIND_LABELS.get(self.upload_kind.content_type, "a file")
            return f"The customer uploaded a new prescription ({kind})."
        return "The customer gave their prescriber's details."


def order_prescription_replace(*, order, supplied: SuppliedPrescription) -> None:
    """The order's prescription becomes what the customer sent; the old file
    is deleted once this commits, so no stray health data is left behind.
    Call inside the order action's transaction."""
    prescription = Prescription.objects.select_for_update().filter(
        order=order
    ).first() or Prescription(order=order)
    old_file = prescription.file.name if prescription.file else ""
    prescription.source = supplied.source
    prescription.refill_of = None  # a new prescription, not the one on file
    prescription.file = None
    prescription.file_content_type = ""
    prescription.prescriber_name = supplied.prescriber_name.strip()
    prescription.prescriber_phone = supplied.prescriber_phone.strip()
    prescription.prescriber_npi = supplied.prescriber_npi
    if supplied.source == Prescription.Source.UPLOAD:
        prescription.file_content_type = supplied.upload_kind.content_type
        prescription.file.save(
            f"upload{supplied.upload_kind.extension}",
            ContentFile(supplied.upload_kind.content),
            save=False,
        )
    prescription.save()
    if old_file:
        storage = prescription.file.storage
        transaction.on_commit(lambda: storage.delete(old_file))


def basket_patient_captured(*, basket) -> bool:
    return basket_patient(basket=basket) is not None


FILE_KIND_LABELS = {
    "application/pdf": "a PDF",
    "image/jpeg": "a JPEG photo or scan",
    "image/png": "a PNG photo or scan",
}


@dataclass(frozen=True)
class CheckoutReview:
    """What the shopper confirms on the review page: who the medicine is for and
    how the prescription reaches us. Never the uploaded file's name, which may
    itself be health data."""

    patient_name: str
    prescription: str


def basket_checkout_review(*, basket) -> CheckoutReview | None:
    patient = basket_patient(basket=basket)
    prescription = basket_prescription(basket=basket)
    if patient is None:
        return None
    described = ""
    if prescription is None:
        pass
    elif prescription.source == Prescription.Source.UPLOAD and prescription.file:
        kind = FILE_KIND_LABELS.get(prescription.file_content_type, "a file")
        described = f"Uploaded: {kind}"
    elif prescription.source == Prescription.Source.PRESCRIBER and (
        prescription.prescriber_name and prescription.prescriber_npi
    ):
        described = (
            f"We will ask your prescriber, {prescription.prescriber_name} "
            f"(NPI {prescription.prescriber_npi})"
        )
    # A refill says so in its own note; anything else has no source, and
    # checkout sends the shopper back to give one.
    return CheckoutReview(patient_name=patient.full_name, prescription=described)
