"""Refills from a prescription on file: what the customer sees, each refusal,
the refill checkout without an upload, and approval drawing down what is left."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from catalog.models import Product, Strength
from checkout.basket.models import Basket
from checkout.dispensing.models import Prescription, PrescriptionRecord
from checkout.dispensing.refills import rules, services
from checkout.orders import actions
from tests.checkout_helpers import ADDRESS, ADULT_DOB
from tests.html import page, text

from .conftest import approved_days_ago, refill_order

pytestmark = pytest.mark.django_db


def shown(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def test_your_prescriptions_lists_the_approved_prescription(client, customer, record):
    client.force_login(customer)
    body = text(page(client.get(reverse("refills:list"))))

    rx = f"RX-{record.pk:06d}"
    assert rx in body
    assert "10 mg three times a day" in body
    assert "30 tablets" in body  # quantity left after the first fill
    assert "Refills left 1" in body
    expires = record.date_written + datetime.timedelta(days=365)
    assert f"{expires:%B} {expires.day}, {expires.year}" in body


def test_a_refill_right_after_the_first_fill_is_too_early(client, customer, record):
    client.force_login(customer)

    response = client.post(
        reverse("refills:refill", kwargs={"pk": record.pk}), follow=True
    )

    assert "too early to refill" in shown(response)
    assert "10 days" in shown(response)
    assert not Basket.objects.filter(
        owner=customer, status=Basket.OPEN, lines__isnull=False
    ).exists()


def test_refill_puts_the_same_pack_in_the_basket_linked_to_the_prescription(
    client, customer, record, first_order, pack
):
    approved_days_ago(first_order, 9)
    client.force_login(customer)

    response = client.post(reverse("refills:refill", kwargs={"pk": record.pk}))

    assert response["Location"] == reverse("basket:summary")
    basket = Basket.objects.get(owner=customer, status=Basket.OPEN)
    assert [line.product_id for line in basket.all_lines()] == [pack.pk]
    refill = Prescription.objects.get(basket=basket)
    assert (refill.source, refill.refill_of_id) == ("refill", record.pk)


def test_refill_checkout_skips_the_upload_and_says_it_is_a_refill(
    client, customer, record, first_order
):
    approved_days_ago(first_order, 9)
    client.force_login(customer)
    client.post(reverse("refills:refill", kwargs={"pk": record.pk}))
    client.get(reverse("checkout:index"))
    client.post(reverse("checkout:shipping-address"), ADDRESS)
    client.post(reverse("checkout:shipping-method"), {"method_code": "standard"})
    patient_page = client.get(reverse("checkout:patient"))
    # Prefilled from the first order.
    assert patient_page.context["form"].initial["full_name"] == "Alex Rivera"

    response = client.post(
        reverse("checkout:patient"),
        {
            "full_name": "Alex Rivera",
            "date_of_birth": ADULT_DOB.isoformat(),
            "counselling": "no",
        },
    )

    assert response["Location"] == reverse("checkout:payment-method")
    assert client.get(reverse("checkout:prescription"))["Location"] == reverse(
        "checkout:payment-method"
    )
    client.post(reverse("checkout:payment-method"), {"method": "invoice"})
    preview = text(page(client.get(reverse("checkout:preview"))))
    assert f"Refill of prescription RX-{record.pk:06d}" in preview


def test_approving_a_refill_draws_down_what_is_left_and_adds_to_the_history(
    customer, record, first_order, pharmacist
):
    approved_days_ago(first_order, 9)
    order = refill_order(record=record, customer=customer)

    actions.order_approve(order=order, actor=pharmacist)

    record.refresh_from_db()
    assert record.quantity_left == 0
    assert [f.order for f in rules.fills(record=record)] == [first_order, order]
    # Only one record: the refill is filled from the one on file.
    assert PrescriptionRecord.objects.count() == 1


def test_a_prescription_with_nothing_left_is_refused(customer, record, first_order):
    approved_days_ago(first_order, 9)
    PrescriptionRecord.objects.filter(pk=record.pk).update(quantity_left=0)
    record.refresh_from_db()

    assert "Nothing is left to fill" in rules.refill_refusal(record=record)


def test_an_expired_prescription_is_refused(record, first_order):
    approved_days_ago(first_order, 9)
    written = timezone.localdate() - datetime.timedelta(days=400)
    PrescriptionRecord.objects.filter(pk=record.pk).update(date_written=written)
    record.refresh_from_db()

    assert "expired" in rules.refill_refusal(record=record)


def test_a_second_refill_waits_while_one_is_with_the_pharmacist(
    customer, record, first_order
):
    approved_days_ago(first_order, 9)
    refill_order(record=record, customer=customer)

    assert "already waiting for our pharmacist" in rules.refill_refusal(record=record)


def test_too_early_uses_the_share_setting(settings, record, first_order):
    approved_days_ago(first_order, 3)  # 7 of 10 days left
    assert rules.refill_refusal(record=record) is None
    settings.REFILL_TOO_EARLY_SHARE_LEFT = 0.5
    assert "too early" in rules.refill_refusal(record=record)


def test_a_strength_not_sold_in_the_market_is_not_refilled(record, first_order):
    approved_days_ago(first_order, 9)
    Strength.objects.filter(pk=record.strength_id).update(approved_markets="ES")
    record.refresh_from_db()

    assert "Not sold in the US" in rules.refill_refusal(record=record)


def test_someone_elses_prescription_is_not_found(client, record):
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="other"))
    url = reverse("refills:refill", kwargs={"pk": record.pk})
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404


def test_a_guest_is_told_refills_need_an_account(client, record):
    body = text(page(client.get(reverse("refills:list"))))
    assert "Refills need an account" in body
    assert RX_OF(record) not in body
    refill = client.post(reverse("refills:refill", kwargs={"pk": record.pk}))
    assert refill.status_code == 302 and "login" in refill["Location"]


def RX_OF(record) -> str:
    return f"RX-{record.pk:06d}"


def test_refill_replaces_other_basket_contents_and_says_so(
    client, customer, record, first_order, drug
):
    approved_days_ago(first_order, 9)
    client.force_login(customer)
    other = Product.objects.get(upc=f"{drug.product.upc}-10-360")
    client.post(
        reverse(
            "catalogue:add-variant",
            kwargs={"product_slug": drug.product.slug, "pk": drug.product.pk},
        ),
        {"strength": "10", "pack": "360", "quantity": 1},
    )

    response = client.post(
        reverse("refills:refill", kwargs={"pk": record.pk}), follow=True
    )

    assert "replaces what was in your basket" in shown(response)
    basket = Basket.objects.get(owner=customer, status=Basket.OPEN)
    assert other.pk not in [line.product_id for line in basket.all_lines()]
    assert services.basket_refill(basket=basket) == record
