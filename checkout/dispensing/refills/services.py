"""Requesting a refill: the right pack in the basket, linked to the prescription
on file, so checkout skips the upload and the pharmacist sees the record."""

from django.db import transaction

from catalog.models import Product
from checkout.basket.models import Basket
from checkout.dispensing import prescriptions
from checkout.dispensing.models import PatientDetails, Prescription, PrescriptionRecord
from checkout.dispensing.refills import rules


class RefillRefused(Exception):
    """The refill was not requested. The message is safe to show the customer."""


def basket_refill(*, basket) -> PrescriptionRecord | None:
    """The prescription on file this basket refills, if it is a refill."""
    prescription = prescriptions.basket_prescription(basket=basket)
    if prescription is None or prescription.source != Prescription.Source.REFILL:
        return None
    return prescription.refill_of


@transaction.atomic
def refill_to_basket(*, record: PrescriptionRecord, basket) -> Product:
    """Replace the basket's contents with one pack refilling `record`.

    The caller has checked that the record is the customer's. Raises
    RefillRefused with the reason when a refill is not allowed now.
    """
    if basket.id:
        # Requests for the same basket (a double click, two tabs) take turns:
        # each empties the basket and adds its pack, so one line is left.
        # Unlocked, two at once each added a pack to the same line.
        Basket.objects.select_for_update().filter(pk=basket.pk).first()
    refusal = rules.refill_refusal(record=record)
    if refusal:
        raise RefillRefused(refusal)
    pack = Product.objects.select_related("parent__product_class", "product_class").get(
        pk=rules.refill_pack(record=record)
    )
    basket.flush()
    basket.add_product(pack, 1)
    for old in Prescription.objects.filter(basket=basket):
        if old.file:
            old.file.delete(save=False)
        old.delete()
    Prescription.objects.create(
        basket=basket, source=Prescription.Source.REFILL, refill_of=record
    )
    return pack


def refill_patient_initial(*, record: PrescriptionRecord) -> dict:
    """The patient's details from the prescription's first order, to prefill
    the checkout's patient step of a refill."""
    patient = PatientDetails.objects.filter(order=record.prescription.order_id).first()
    if patient is None or record.prescription.order_id is None:
        return {}
    # Counselling is asked afresh for each fill.
    return prescriptions.patient_form_initial(patient=patient, counselling=False)
