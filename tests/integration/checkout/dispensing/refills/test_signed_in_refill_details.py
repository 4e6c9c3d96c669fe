"""A signed-in refill confirms the saved address and patient details instead
of typing them again; staff pages name the customer by name and email, never
by the username Oscar generated."""

import pytest
from django.test import Client
from django.urls import reverse
from oscar.apps.address.models import UserAddress

from tests.checkout_helpers import ADDRESS, place_order
from tests.factories import UserFactory
from tests.html import page, text

from .conftest import approved_days_ago, refill_order

pytestmark = pytest.mark.django_db


def test_an_order_from_an_account_saves_its_address_once(customer, pack):
    place_order(product=pack, owner=customer)
    place_order(product=pack, owner=customer)

    [saved] = UserAddress.objects.filter(user=customer)
    assert (saved.line1, saved.state) == (ADDRESS["line1"], ADDRESS["state"])
    assert saved.num_orders_as_shipping_address == 2


def test_a_guest_order_saves_no_address(pack):
    place_order(product=pack)

    assert not UserAddress.objects.exists()


def test_the_refill_checkout_offers_the_saved_address_and_details_to_confirm(
    client, customer, record, first_order
):
    approved_days_ago(first_order, 9)
    client.force_login(customer)
    client.post(reverse("refills:refill", kwargs={"pk": record.pk}))
    saved = UserAddress.objects.get(user=customer)

    address_page = text(page(client.get(reverse("checkout:shipping-address"))))
    chosen = client.post(
        reverse("checkout:shipping-address"),
        {"action": "ship_to", "address_id": saved.pk},
    )
    client.post(reverse("checkout:shipping-method"), {"method_code": "standard"})
    patient_page = client.get(reverse("checkout:patient"))

    assert "Deliver to a saved address" in address_page
    assert ADDRESS["line1"] in address_page
    assert chosen["Location"] == reverse("checkout:shipping-method")
    assert "filled these in from your earlier order" in text(page(patient_page))
    assert patient_page.context["form"].initial["full_name"] == "Alex Rivera"


def test_a_first_checkout_has_no_saved_details_to_confirm(client, customer, drug):
    from tests.integration.checkout.test_checkout_steps import add_url

    client.force_login(customer)
    client.post(add_url(drug.product), {"strength": "10", "pack": "30", "quantity": 1})

    body = text(page(client.get(reverse("checkout:shipping-address"))))

    assert "saved address" not in body


def test_staff_pages_name_the_customer_by_name_and_email(
    customer, first_order, pharmacist
):
    customer.first_name, customer.last_name = "Robin", "Park"
    customer.save()
    customer.username = "a8f3c2e1d9b74f60"  # as Oscar generates them
    customer.save()
    admin = Client()
    admin.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    reviewer = Client()
    reviewer.force_login(pharmacist)

    orders_list = text(page(admin.get(reverse("admin:order_order_changelist"))))
    order_page = text(
        page(admin.get(reverse("admin:order_order_change", args=[first_order.pk])))
    )
    events = text(page(admin.get(reverse("admin:checkout_orderevent_changelist"))))
    review = text(
        page(
            reviewer.get(
                reverse("admin:checkout_queueorder_review", args=[first_order.pk])
            )
        )
    )

    for body in (orders_list, order_page, events, review):
        assert "Robin Park (robin@example.com)" in body
        assert customer.username not in body


def test_a_refills_review_page_says_it_fills_from_the_record_not_a_prescriber(
    customer, record, first_order, pharmacist
):
    approved_days_ago(first_order, 9)
    refill = refill_order(record=record, customer=customer)
    reviewer = Client()
    reviewer.force_login(pharmacist)

    body = text(
        page(
            reviewer.get(reverse("admin:checkout_queueorder_review", args=[refill.pk]))
        )
    )

    assert f"fills from prescription RX-{record.pk:06d} on file" in body
    assert "The customer gave the prescriber's details" not in body
