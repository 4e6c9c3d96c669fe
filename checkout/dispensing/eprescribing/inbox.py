"""E-prescriptions into the dispensing room: a NewRx becomes a prescription
and its record, pre-filled from the message (the pharmacist checks it against
the order before approving); it is matched to a customer, on arrival or by a
pharmacist's hand, and the customer is emailed; a CancelRx withdraws it.

The orders filled from a withdrawn prescription are the door's to move
(receiving.py): this module changes no order.
"""

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from checkout.dispensing import records
from checkout.dispensing.eprescribing import matching
from checkout.dispensing.eprescribing.content import (
    CheckedNewRx,
    Header,
    MessageRefused,
)
from checkout.dispensing.eprescribing.models import EPrescription, ErxMessage
from checkout.dispensing.models import Prescription, PrescriptionRecord
from pharmacy.core import emails
from pharmacy.core.links import absolute_url
from pharmacy.staff.roles import Perm, may

# Oscar communication event types (migrations/0002).
ERX_ARRIVED = "ERX_ARRIVED"
ERX_CANCELLED = "ERX_CANCELLED"


class MatchRefused(Exception):
    """The e-prescription was not matched. The message says why, for staff."""


def eprescription_create(
    *, message: ErxMessage, checked: CheckedNewRx
) -> EPrescription:
    """The prescription and its pre-filled record, then the customer it
    matches, if exactly one does. Call inside the message's transaction."""
    rx = checked.rx
    prescription = Prescription.objects.create(
        source=Prescription.Source.ERX,
        prescriber_name=rx.prescriber_name[:200],
        prescriber_phone=rx.prescriber_phone[:32],
        prescriber_npi=rx.prescriber_npi,
    )
    try:
        dose_mg, doses_per_day = records.record_dose(
            directions=rx.directions,
            strength_mg=checked.strength.mg,
            dose_mg=None,
            doses_per_day=None,
        )
    except records.DoseUnclear:
        # Left blank: the review page asks the pharmacist for them.
        dose_mg, doses_per_day = None, None
    PrescriptionRecord.objects.create(
        prescription=prescription,
        prescriber_name=rx.prescriber_name[:200],
        prescriber_npi=rx.prescriber_npi,
        date_written=rx.date_written,
        drug=checked.drug,
        strength=checked.strength,
        quantity_prescribed=checked.quantity,
        directions=rx.directions[:255],
        dose_mg=dose_mg,
        doses_per_day=doses_per_day,
        refills_authorised=checked.refills,
        quantity_left=records.initial_quantity_left(
            quantity_prescribed=checked.quantity, refills_authorised=checked.refills
        ),
        entered_by=None,
        updated_by=None,
    )
    erx = EPrescription.objects.create(
        message=message,
        prescription=prescription,
        prescriber_order_number=rx.header.prescriber_order_number[:64],
        patient_first_name=rx.patient_first_name[:100],
        patient_middle_name=rx.patient_middle_name[:100],
        patient_last_name=rx.patient_last_name[:100],
        patient_date_of_birth=rx.patient_date_of_birth,
        patient_address=rx.patient_address[:400],
        patient_phone=rx.patient_phone[:32],
        patient_email=rx.patient_email[:254],
        prescriber_address=rx.prescriber_address[:400],
        drug_description=rx.drug_description[:255],
        strength_text=rx.strength[:64],
        quantity_text=rx.quantity[:64],
        substitution_allowed=rx.substitution_allowed,
    )
    customer = matching.customer_match(
        first_name=erx.patient_first_name,
        middle_name=erx.patient_middle_name,
        last_name=erx.patient_last_name,
        date_of_birth=erx.patient_date_of_birth,
        email=erx.patient_email,
        phone=erx.patient_phone,
    )
    if customer is not None:
        _matched(erx=erx, customer=customer, actor=None)
    return erx


def eprescription_match(*, erx: EPrescription, customer, actor) -> None:
    """A pharmacist matches a waiting e-prescription to a customer by hand."""
    if not may(actor, Perm.REVIEW_PRESCRIPTIONS):
        raise MatchRefused("Only a pharmacist can match an e-prescription.")
    if customer is None or not customer.is_active or customer.is_staff:
        raise MatchRefused("Choose a customer's account.")
    with transaction.atomic():
        erx = EPrescription.objects.select_for_update().get(pk=erx.pk)
        if erx.status != EPrescription.Status.UNMATCHED:
            raise MatchRefused("This e-prescription is not waiting to be matched.")
        _matched(erx=erx, customer=customer, actor=actor)


def _matched(*, erx: EPrescription, customer, actor) -> None:
    erx.customer = customer
    erx.status = EPrescription.Status.MATCHED
    erx.matched_by = actor
    erx.matched_at = timezone.now()
    erx.save(update_fields=["customer", "status", "matched_by", "matched_at"])
    record = erx.prescription.record
    context = {
        "prescriber_name": erx.prescription.prescriber_name,
        "drug_name": record.drug.generic_name,
        "order_url": absolute_url(reverse("refills:refill", kwargs={"pk": record.pk})),
    }
    transaction.on_commit(
        lambda: emails.customer_email_send(user=customer, code=ERX_ARRIVED, **context)
    )


def eprescription_withdraw(
    *, message: ErxMessage, header: Header, prescriber_npi: str
) -> EPrescription:
    """A CancelRx: find the prescription it names (by the NewRx's MessageID
    or the prescriber's order number, from the same intermediary), check the
    prescriber, and withdraw the record so no refill or approval comes from
    it. The customer is emailed. Call inside the message's transaction."""
    if not header.message_id:
        raise MessageRefused("Required element missing: Header/MessageID.")
    relates = header.relates_to_message_id
    order_number = header.prescriber_order_number
    if not (relates or order_number):
        raise MessageRefused(
            "Required element missing: Header/RelatesToMessageID or "
            "Header/PrescriberOrderNumber (which prescription to cancel)."
        )
    # The NewRx's MessageID names one prescription; the prescriber's order
    # number is the fallback, and must name exactly one.
    named = (
        Q(message__message_id=relates)
        if relates
        else Q(prescriber_order_number=order_number)
    )
    found = list(
        # Only the e-prescription's own row is locked: PostgreSQL locks no
        # row on the nullable side of the outer joins select_related makes.
        EPrescription.objects.select_for_update(of=("self",))
        .filter(named, message__intermediary=message.intermediary)
        .select_related("prescription__record__drug")[:2]
    )
    if len(found) > 1:
        raise MessageRefused(
            "That PrescriberOrderNumber names more than one prescription: send "
            "the NewRx's MessageID as RelatesToMessageID."
        )
    erx = found[0] if found else None
    if erx is None:
        raise MessageRefused(
            "No prescription we received from you has that RelatesToMessageID "
            "or PrescriberOrderNumber."
        )
    if prescriber_npi != erx.prescription.prescriber_npi:
        raise MessageRefused(
            "Prescriber/Identification/NPI is not the NPI of the prescription to "
            "cancel."
        )
    if erx.status == EPrescription.Status.CANCELLED:
        raise MessageRefused("That prescription is already cancelled.")
    record = erx.prescription.record
    record.withdrawn_at = timezone.now()
    record.withdrawn_reason = (
        f"Cancelled by the prescriber (CancelRx {header.message_id})"[:255]
    )
    record.save(update_fields=["withdrawn_at", "withdrawn_reason", "updated_at"])
    customer = erx.customer
    erx.status = EPrescription.Status.CANCELLED
    erx.cancel_message = message
    erx.save(update_fields=["status", "cancel_message"])
    if customer is not None:
        context = {
            "prescriber_name": erx.prescription.prescriber_name,
            "drug_name": record.drug.generic_name,
        }
        transaction.on_commit(
            lambda: emails.customer_email_send(
                user=customer, code=ERX_CANCELLED, **context
            )
        )
    return erx
