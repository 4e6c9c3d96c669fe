"""Prescriptions transferred to us from another pharmacy: the customer's
request, then the pharmacist completes it (writing the prescription record) or
declines it with a reason the customer is emailed.

``transfer_refusal`` is the one rule for whether we may take a transfer: the
rules buying the same strength passes (on sale, approved in the store's market,
a state we are licensed in). The request and the completion both ask it, so a
transfer refused at one door is refused at every door.

The customer is emailed through the outbox, in the transaction of the change
the email reports: that the request arrived, and that it was completed or
declined. The emails name the drug and nothing else about the prescription.
"""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from oscar.apps.address.models import UserAddress

from catalog import markets
from catalog.models import DrugStatus, Strength
from checkout.dispensing.models import (
    PatientDetails,
    Prescription,
    PrescriptionRecord,
)
from checkout.dispensing.records import initial_quantity_left, record_dose
from checkout.dispensing.refills.models import TransferRequest
from pharmacy.compliance import licensing
from pharmacy.core import emails
from pharmacy.core.links import absolute_url
from pharmacy.staff.roles import Perm, may

# Oscar communication event types (refills/migrations/0002 and 0004).
TRANSFER_RECEIVED = "TRANSFER_RECEIVED"
TRANSFER_COMPLETED = "TRANSFER_COMPLETED"
TRANSFER_DECLINED = "TRANSFER_DECLINED"

# What the pharmacist copies from the other pharmacy's prescription.
RECORD_FIELDS = (
    "prescriber_name",
    "prescriber_npi",
    "date_written",
    "quantity_prescribed",
    "directions",
    "dose_mg",
    "doses_per_day",
    "refills_authorised",
    "quantity_left",
)
# Read from the directions, or worked out, when left blank.
_MAY_BE_BLANK = {"dose_mg", "doses_per_day", "quantity_left"}
REQUEST_FIELDS = (
    "patient_name",
    "patient_date_of_birth",
    "delivery_state",
    "pharmacy_name",
    "pharmacy_phone",
    "prescription_number",
)


class TransferRefused(Exception):
    """Nothing was recorded. The message says why, and may be shown to the
    customer (a refusal of the request) or the pharmacist."""


def _check(actor) -> None:
    if not may(actor, Perm.REVIEW_PRESCRIPTIONS):
        raise TransferRefused("Only a pharmacist can decide a transfer.")


def strength_refusal(*, strength: Strength) -> str | None:
    """Why ``strength`` is not sold here, as buying it would be refused."""
    drug = strength.drug
    if drug.status != DrugStatus.PUBLISHED or not strength.is_available:
        return (
            f"{strength.mg.normalize():f} mg {drug.generic_name} tablets are not on "
            "sale at our pharmacy now, so we can't take this prescription."
        )
    market = markets.current_market()
    refusal = markets.strength_sale_refusal(strength=strength, market=market)
    if refusal:
        return f"{markets.not_sold_label(market=market)}: {refusal}"
    return None


def transfer_refusal(*, strength: Strength, state: str) -> str | None:
    """Why we may not take a transfer of ``strength`` for delivery to
    ``state``, or None: as buying it would be refused. A request made before
    the state was asked has none, and only the strength is checked."""
    refusal = strength_refusal(strength=strength)
    if refusal is None and state:
        refusal = licensing.state_delivery_refusal(state=state, fresh=True)
    return refusal


def _email(*, transfer: TransferRequest, code: str, **context) -> None:
    emails.customer_email_send(
        user=transfer.user,
        code=code,
        drug_name=transfer.drug.generic_name,
        prescriptions_url=absolute_url(reverse("refills:list")),
        **context,
    )


def transfer_request(*, user, data: dict) -> TransferRequest:
    """Record the customer's request and email them that it arrived. Raises
    TransferRefused when a field is missing or the transfer is refused."""
    strength = data.get("strength")
    missing = [name for name in REQUEST_FIELDS if not data.get(name)]
    if strength is None or missing:
        raise TransferRefused("Please fill in every field of the request.")
    refusal = transfer_refusal(strength=strength, state=data["delivery_state"])
    if refusal:
        raise TransferRefused(refusal)
    with transaction.atomic():
        transfer = TransferRequest.objects.create(
            user=user,
            drug=strength.drug,
            strength=strength,
            patient_name=data["patient_name"].strip(),
            patient_date_of_birth=data["patient_date_of_birth"],
            delivery_state=data["delivery_state"],
            pharmacy_name=data["pharmacy_name"].strip(),
            pharmacy_phone=data["pharmacy_phone"].strip(),
            prescription_number=data["prescription_number"].strip(),
        )
        _email(transfer=transfer, code=TRANSFER_RECEIVED)
    return transfer


def transfer_request_initial(*, user) -> dict:
    """The request form filled from the customer's own details: the patient
    of their latest order, and the state of their default delivery address."""
    initial = {}
    patient = (
        PatientDetails.objects.filter(order__user=user).order_by("-created_at").first()
    )
    if patient is not None:
        initial["patient_name"] = patient.full_name
        initial["patient_date_of_birth"] = patient.date_of_birth
    address = UserAddress.objects.filter(
        user=user, is_default_for_shipping=True
    ).first()
    if address is not None and address.state:
        initial["delivery_state"] = address.state
    return initial


def transfer_record_missing(*, record: dict) -> list[str]:
    """The record's fields the pharmacist must fill in to complete."""
    return [
        name
        for name in RECORD_FIELDS
        if name not in _MAY_BE_BLANK and record.get(name) in (None, "")
    ]


def transfer_complete(
    *, transfer: TransferRequest, actor, record: dict
) -> PrescriptionRecord:
    """Record the transferred prescription; it then appears under "Your
    prescriptions" and can be refilled. The dose is read from the directions
    as on the review page (records.record_dose, which raises DoseUnclear)."""
    _check(actor)
    missing = transfer_record_missing(record=record)
    if missing:
        raise TransferRefused(
            "Fill in the prescription record first: " + ", ".join(missing) + "."
        )
    with transaction.atomic():
        transfer = (
            TransferRequest.objects.select_for_update(of=("self",))
            .select_related("user", "drug", "strength__drug")
            .get(pk=transfer.pk)
        )
        if transfer.status != TransferRequest.Status.PENDING:
            raise TransferRefused("This transfer has already been decided.")
        refusal = transfer_refusal(
            strength=transfer.strength, state=transfer.delivery_state
        )
        if refusal:
            raise TransferRefused(refusal)
        fields = {name: record.get(name) for name in RECORD_FIELDS}
        fields["dose_mg"], fields["doses_per_day"] = record_dose(
            directions=fields["directions"],
            strength_mg=transfer.strength.mg,
            dose_mg=fields["dose_mg"],
            doses_per_day=fields["doses_per_day"],
        )
        if fields["quantity_left"] in (None, ""):
            # Transferred with its remaining refills: each is one fill here.
            fields["quantity_left"] = initial_quantity_left(
                quantity_prescribed=fields["quantity_prescribed"],
                refills_authorised=fields["refills_authorised"] - 1,
            )
        now = timezone.now()
        prescription = Prescription.objects.create(
            source=Prescription.Source.TRANSFER,
            decision=Prescription.Decision.APPROVED,
            reviewed_by=actor,
            reviewed_at=now,
        )
        result = PrescriptionRecord.objects.create(
            prescription=prescription,
            drug=transfer.drug,
            strength=transfer.strength,
            entered_by=actor,
            updated_by=actor,
            **fields,
        )
        transfer.prescription = prescription
        transfer.status = TransferRequest.Status.COMPLETED
        transfer.decided_by = actor
        transfer.decided_at = now
        transfer.save()
        _email(transfer=transfer, code=TRANSFER_COMPLETED)
    return result


def transfer_decline(*, transfer: TransferRequest, actor, reason: str) -> None:
    _check(actor)
    reason = (reason or "").strip()
    if not reason:
        raise TransferRefused("Please give the customer a reason.")
    with transaction.atomic():
        transfer = (
            TransferRequest.objects.select_for_update(of=("self",))
            .select_related("user", "drug")
            .get(pk=transfer.pk)
        )
        if transfer.status != TransferRequest.Status.PENDING:
            raise TransferRefused("This transfer has already been decided.")
        transfer.status = TransferRequest.Status.DECLINED
        transfer.decline_reason = reason
        transfer.decided_by = actor
        transfer.decided_at = timezone.now()
        transfer.save()
        _email(transfer=transfer, code=TRANSFER_DECLINED, reason=reason)
