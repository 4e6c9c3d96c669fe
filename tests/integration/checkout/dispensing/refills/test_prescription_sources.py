"""No order without a prescription source (an upload, the prescriber's
details, or a prescription on file for this customer), whatever the door:
the checkout's steps, a forged basket, the refill flow, or a direct call."""

import pytest
from django.urls import reverse
from oscar.apps.order.models import Order

from catalog.partner.strategy import Selector
from checkout.basket.models import Basket
from checkout.dispensing import sources
from checkout.dispensing.models import Prescription
from checkout.dispensing.refills import services
from checkout.orders import placing
from checkout.orders.models import CheckoutAttempt
from tests.checkout_helpers import basket_with, checkout_attempt
from tests.factories import UserFactory
from tests.html import page, text
from tests.integration.checkout.test_checkout_steps import (
    place_order,
    redirects_to,
    to_prescription_step,
)

from .conftest import approved_days_ago, refill_order

pytestmark = pytest.mark.django_db


def test_the_prescription_step_offers_only_an_upload_or_the_prescriber(client, drug):
    to_prescription_step(client, drug)

    body = text(page(client.get(reverse("checkout:prescription"))))

    assert "Uploaded prescription" in body
    assert "Prescriber's details" in body
    assert "on file" not in body
    assert "Transferred" not in body


@pytest.mark.parametrize("source", ["refill", "transfer"])
def test_a_posted_refill_or_transfer_choice_is_refused_at_the_step(
    client, drug, source
):
    to_prescription_step(client, drug)

    response = client.post(reverse("checkout:prescription"), {"source": source})

    assert response.status_code == 200
    assert "Select a valid choice" in text(page(response))
    assert not Prescription.objects.exists()


def test_a_forged_sourceless_prescription_is_refused_at_place_order(client, drug):
    """An order that reached the preview as before (a "refill" choice with
    nothing on file) is sent back to the prescription step, and never placed."""
    to_prescription_step(client, drug)
    client.post(
        reverse("checkout:prescription"),
        {
            "source": "prescriber",
            "prescriber_name": "Dr Ada Lovelace",
            "prescriber_phone": "+12175550123",
            "prescriber_npi": "1234567893",
        },
    )
    client.post(reverse("checkout:payment-method"), {"method": "invoice"})
    # As if the old form had saved a refill choice with no record behind it.
    Prescription.objects.update(
        source=Prescription.Source.REFILL, prescriber_name="", prescriber_npi=""
    )

    preview = client.get(reverse("checkout:preview"))
    response = place_order(client)

    assert redirects_to(preview, "checkout:prescription")
    assert redirects_to(response, "checkout:prescription")
    assert not Order.objects.exists()


def test_placing_directly_without_a_prescription_is_refused(drug):
    pack = drug.product.children.order_by("pk").first()
    attempt = checkout_attempt(
        basket=basket_with(product=pack), with_prescription=False
    )

    with pytest.raises(placing.PrescriptionMissing):
        placing.order_place(attempt_id=attempt.pk)

    assert not Order.objects.exists()
    assert CheckoutAttempt.objects.get(pk=attempt.pk).order is None


def test_prescriber_details_with_blanks_are_no_source(drug):
    pack = drug.product.children.order_by("pk").first()
    basket = basket_with(product=pack)
    Prescription.objects.create(
        basket=basket, source=Prescription.Source.PRESCRIBER, prescriber_name="Dr X"
    )
    attempt = checkout_attempt(basket=basket, with_prescription=False)

    with pytest.raises(placing.PrescriptionMissing):
        placing.order_place(attempt_id=attempt.pk)


def test_a_refill_of_the_customers_own_record_is_placed(customer, record, first_order):
    approved_days_ago(first_order, 9)

    order = refill_order(record=record, customer=customer)

    assert order.prescription.refill_of == record


def test_a_refill_of_someone_elses_record_is_refused(customer, record, first_order):
    """The refill service trusts its caller to have checked whose record it
    is; placing does not."""
    approved_days_ago(first_order, 9)
    stranger = UserFactory(username="stranger", email="stranger@example.com")

    with pytest.raises(placing.PrescriptionMissing):
        refill_order(record=record, customer=stranger)


def test_a_guest_basket_naming_a_record_has_no_prescription_on_file(
    customer, record, first_order, pack
):
    approved_days_ago(first_order, 9)
    basket = Basket.objects.create()
    basket.strategy = Selector().strategy()
    services.refill_to_basket(record=record, basket=basket)
    prescription = Prescription.objects.get(basket=basket)

    assert not sources.prescription_source_present(prescription=prescription, user=None)
    assert sources.prescription_source_present(prescription=prescription, user=customer)
