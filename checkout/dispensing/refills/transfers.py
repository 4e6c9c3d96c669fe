"""Prescriptions transferred to us from another pharmacy: the customer's
request, then the pharmacist completes it (writing the prescription record) or
declines it with a reason the customer is emailed."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from checkout.dispensing.models import Prescription, PrescriptionRecord
from checkout.dispensing.records import initial_quantity_left
from checkout.dispensing.refills.models import TransferRequest
from pharmacy.core import emails
from pharmacy.core.links import absolute_url
from pharmacy.staff.roles import Perm, may

# Oscar communication event types (refills/migrations/0002).
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


class TransferRefused(Exception):
    """The decision was not recorded. The message says why, for staff."""


def _check(actor) -> None:
    if not may(actor, Perm.REVIEW_PRESCRIPTIONS):
        raise TransferRefused("Only a pharmacist can decide a transfer.")


def transfer_request(*, user, data: dict) -> TransferRequest:
    return TransferRequest.objects.create(
        user=user,
        drug=data["strength"].drug,
        strength=data["strength"],
        pharmacy_name=data["pharmacy_name"].strip(),
        pharmacy_phone=data["pharmacy_phone"].strip(),
        prescription_number=data["prescription_number"].strip(),
    )


def transfer_complete(
    *, transfer: TransferRequest, actor, record: dict
) -> PrescriptionRecord:
    """Record the transferred prescription; it then appears under "Your
    prescriptions" and can be refilled."""
    _check(actor)
    missing = [name for name in RECORD_FIELDS if record.get(name) in (None, "")]
    missing = [m for m in missing if m != "quantity_left"]
    if missing:
        raise TransferRefused(
            "Fill in the prescription record first: " + ", ".join(missing) + "."
        )
    with transaction.atomic():
        transfer = TransferRequest.objects.select_for_update().get(pk=transfer.pk)
        if transfer.status != TransferRequest.Status.PENDING:
            raise TransferRefused("This transfer has already been decided.")
        now = timezone.now()
        prescription = Prescription.objects.create(
            source=Prescription.Source.TRANSFER,
            decision=Prescription.Decision.APPROVED,
            reviewed_by=actor,
            reviewed_at=now,
        )
        fields = {name: record.get(name) for name in RECORD_FIELDS}
        if fields["quantity_left"] in (None, ""):
            # Transferred with its remaining refills: each is one fill here.
            fields["quantity_left"] = initial_quantity_left(
                quantity_prescribed=fields["quantity_prescribed"],
                refills_authorised=fields["refills_authorised"] - 1,
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
        user = transfer.user
        transaction.on_commit(
            lambda: emails.customer_email_send(
                user=user,
                code=TRANSFER_COMPLETED,
                prescriptions_url=absolute_url(reverse("refills:list")),
            )
        )
    return result


def transfer_decline(*, transfer: TransferRequest, actor, reason: str) -> None:
    _check(actor)
    reason = (reason or "").strip()
    if not reason:
        raise TransferRefused("Please give the customer a reason.")
    with transaction.atomic():
        transfer = TransferRequest.objects.select_for_update().get(pk=transfer.pk)
        if transfer.status != TransferRequest.Status.PENDING:
            raise TransferRefused("This transfer has already been decided.")
        transfer.status = TransferRequest.Status.DECLINED
        transfer.decline_reason = reason
        transfer.decided_by = actor
        transfer.decided_at = timezone.now()
        transfer.save()
        user = transfer.user
        transaction.on_commit(
            lambda: emails.customer_email_send(
                user=user, code=TRANSFER_DECLINED, reason=reason
            )
        )
