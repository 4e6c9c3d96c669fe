"""The uploaded prescription: served only to pharmacists, from private storage,
by a link that names the prescription's id and never its file."""

from pathlib import PurePosixPath

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from checkout.models import Prescription, private_storage
from pharmacy.staff import PHARMACISTS, staff_groups_ensure
from tests.checkout_helpers import basket_with, checkout_attempt, place_order
from tests.factories import UserFactory


def file_url(prescription) -> str:
    return reverse("admin:checkout_prescription_file", args=[prescription.pk])


def logged_in(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def pharmacist(db):
    user = UserFactory(is_staff=True)
    user.groups.add(staff_groups_ensure()[PHARMACISTS])
    return user


@pytest.fixture
def pharmacist_client(pharmacist):
    return logged_in(pharmacist)


@pytest.fixture
def order(drug):
    return place_order(product=drug.product.children.order_by("pk").first())


@pytest.fixture
def prescription(order):
    return Prescription.objects.get(order=order)


def stored_bytes(prescription) -> bytes:
    with private_storage.open(prescription.file.name, "rb") as handle:
        return handle.read()


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_pharmacist_gets_the_file_bytes_with_its_content_type(
    pharmacist_client, prescription
):
    response = pharmacist_client.get(file_url(prescription))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert body(response) == stored_bytes(prescription)


def test_file_is_served_inline_privately_and_never_sniffed(
    pharmacist_client, prescription, order, settings
):
    settings.SECURE_CONTENT_TYPE_NOSNIFF = False  # the view sets it itself

    response = pharmacist_client.get(file_url(prescription))

    assert response["Content-Disposition"].startswith("inline")
    assert order.number in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    cache_control = response["Cache-Control"]
    assert "private" in cache_control
    assert "no-store" in cache_control


def test_served_file_name_does_not_reveal_the_stored_name(
    pharmacist_client, prescription
):
    response = pharmacist_client.get(file_url(prescription))

    stored = PurePosixPath(prescription.file.name)
    assert stored.stem not in response["Content-Disposition"]


@pytest.mark.parametrize("who", ["price editor", "plain staff", "anonymous"])
def test_anyone_but_a_pharmacist_gets_404(who, prescription, price_editor):
    user = {
        "price editor": price_editor,
        "plain staff": UserFactory(is_staff=True),
        "anonymous": None,
    }[who]

    response = logged_in(user).get(file_url(prescription))

    assert response.status_code == 404
    assert stored_bytes(prescription) not in response.content


def test_staff_with_only_the_view_permission_gets_404(prescription):
    user = UserFactory(is_staff=True)
    user.user_permissions.add(
        *staff_groups_ensure()[PHARMACISTS].permissions.exclude(
            codename="review_prescription"
        )
    )

    assert logged_in(user).get(file_url(prescription)).status_code == 404


def test_file_missing_from_storage_is_404(pharmacist_client, prescription):
    private_storage.delete(prescription.file.name)

    assert pharmacist_client.get(file_url(prescription)).status_code == 404


def test_prescription_without_a_file_is_404(pharmacist_client, drug):
    order = place_order(
        product=drug.product.children.order_by("pk").first(), with_prescription=False
    )
    prescriber_only = Prescription.objects.create(
        order=order,
        source=Prescription.Source.PRESCRIBER,
        prescriber_name="Dr Jane Okafor",
        prescriber_npi="1234567893",
    )

    assert pharmacist_client.get(file_url(prescriber_only)).status_code == 404


def test_unknown_prescription_is_404(pharmacist_client, db):
    response = pharmacist_client.get(
        reverse("admin:checkout_prescription_file", args=[999999])
    )

    assert response.status_code == 404


def test_prescription_still_in_a_checkout_is_404(pharmacist_client, drug):
    basket = basket_with(product=drug.product.children.order_by("pk").first())
    checkout_attempt(basket=basket)  # uploads a prescription, places no order
    in_checkout = Prescription.objects.get(basket=basket)

    assert pharmacist_client.get(file_url(in_checkout)).status_code == 404


def test_file_of_an_unexpected_type_is_a_download_not_rendered(
    pharmacist_client, prescription
):
    prescription.file.save("odd.html", ContentFile(b"<script>1</script>"), save=False)
    prescription.file_content_type = "text/html"
    prescription.save()

    response = pharmacist_client.get(file_url(prescription))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")


def test_pages_link_the_file_by_id_and_never_show_its_name(
    pharmacist_client, prescription
):
    review = pharmacist_client.get(
        reverse("admin:checkout_queueorder_review", args=[prescription.order.pk])
    )

    stored = PurePosixPath(prescription.file.name)
    for response in (review,):
        page = response.content.decode()
        assert response.status_code == 200
        assert file_url(prescription) in page
        assert stored.stem not in page
        assert "prescriptions/" not in page
