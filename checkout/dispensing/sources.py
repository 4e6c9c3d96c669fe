"""Where an order's prescription comes from, and whether it has one at all.

A prescription-only order needs one of three sources: a file the shopper
uploaded, the prescriber's details (we ask the prescriber for it), or a
prescription the pharmacy already holds for this customer (a dispensing
record, which a refill or a completed transfer fills from). Placing an order
(checkout/orders/placing.py) asks ``prescription_source_present`` under its
locks, so no path places a prescription-only order without one.
"""

from django.core.exceptions import ValidationError

from checkout.dispensing import prescriptions
from checkout.dispensing.models import FileState, Prescription
from checkout.dispensing.refills import rules as refill_rules

# What a shopper may choose at checkout. Refills and transfers come only from
# their own flows (checkout/dispensing/refills/), which link the record on file.
CHECKOUT_CHOICES = [
    (Prescription.Source.UPLOAD.value, Prescription.Source.UPLOAD.label),
    (Prescription.Source.PRESCRIBER.value, Prescription.Source.PRESCRIBER.label),
]


def prescription_uploaded(*, prescription: Prescription) -> bool:
    """A file was uploaded and has not been found unreadable (one still being
    checked counts: the pharmacist sees it once it is ready)."""
    return (
        prescription.source == Prescription.Source.UPLOAD
        and bool(prescription.file)
        and prescription.file_state != FileState.UNREADABLE
    )


def prescriber_details_given(*, prescription: Prescription) -> bool:
    """The prescriber's name, phone and a well-formed NPI: enough to ask them."""
    if prescription.source != Prescription.Source.PRESCRIBER:
        return False
    if not (
        prescription.prescriber_name.strip() and prescription.prescriber_phone.strip()
    ):
        return False
    try:
        prescriptions.npi_check(npi=prescription.prescriber_npi)
    except ValidationError:
        return False
    return True


def prescription_on_file(*, prescription: Prescription, user) -> bool:
    """The order fills from a dispensing record the pharmacy holds for this
    customer (verified at a first order, or transferred to us). A guest has
    none; a record of someone else's is not this customer's."""
    record_id = prescription.refill_of_id
    if record_id is None or user is None:
        return False
    return refill_rules.record_of(user=user, pk=record_id) is not None


def prescription_source_present(*, prescription: Prescription | None, user) -> bool:
    """Does this order have a prescription source? An upload, the prescriber's
    details, or a prescription on file for ``user`` (None for a guest)."""
    if prescription is None:
        return False
    return (
        prescription_uploaded(prescription=prescription)
        or prescriber_details_given(prescription=prescription)
        or prescription_on_file(prescription=prescription, user=user)
    )


def basket_prescription_source_present(*, basket, user) -> bool:
    """The checkout's question for the basket being checked out."""
    return prescription_source_present(
        prescription=prescriptions.basket_prescription(basket=basket), user=user
    )


def basket_prescription_on_file(*, basket, user) -> bool:
    """Whether checkout may skip the prescription step: the basket fills from
    a prescription on file for this customer."""
    prescription = prescriptions.basket_prescription(basket=basket)
    return prescription is not None and prescription_on_file(
        prescription=prescription, user=user
    )
