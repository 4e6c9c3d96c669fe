"""The uploaded prescription: served only to pharmacists, from private storage,
by a link that names the prescription's id and never its file."""

import io
from pathlib import PurePosixPath

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from checkout.dispensing import prescription_pages
from checkout.dispensing.admin import prescription_files
from checkout.dispensing.models import (
    AccessAction,
    AccessSubject,
    HealthDataAccess,
    Prescription,
)
from checkout.dispensing.storage import prescription_storage
from pharmacy.staff.groups import staff_groups_ensure
from pharmacy.staff.roles import PHARMACISTS, REVIEW_MODERATORS
from tests.checkout_helpers import (
    basket_with,
    checkout_attempt,
    pdf_upload,
    place_order,
)
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
    with prescription_storage().open(prescription.file.name, "rb") as handle:
        return handle.read()


def body(response) -> bytes:
    return response.content


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
    prescription_storage().delete(prescription.file.name)

    assert pharmacist_client.get(file_url(prescription)).status_code == 404


def test_prescription_without_a_file_is_404(pharmacist_client, drug):
    order = place_order(
        product=drug.product.children.order_by("pk").first(),
        prescriber={
            "prescriber_name": "Dr Jane Okafor",
            "prescriber_phone": "+12175550123",
            "prescriber_npi": "1234567893",
        },
    )
    prescriber_only = Prescription.objects.get(order=order)

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


def test_file_of_an_unexpected_type_is_never_served(pharmacist_client, prescription):
    prescription.file.save("odd.html", ContentFile(b"<script>1</script>"), save=False)
    prescription.file_content_type = "text/html"
    prescription.save()

    response = pharmacist_client.get(file_url(prescription))

    assert response.status_code == 404
    assert b"<script>" not in response.content


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


# -- PDF prescriptions: pages drawn as images, the PDF never sent ---------------


@pytest.fixture
def pdf_order(drug, private_root):
    return place_order(
        product=drug.product.children.order_by("pk").first(),
        prescription_file=pdf_upload(pages=2),
    )


@pytest.fixture
def pdf_prescription(pdf_order):
    return Prescription.objects.get(order=pdf_order)


def page_url(prescription, page: int) -> str:
    return reverse("admin:checkout_prescription_page", args=[prescription.pk, page])


def test_pharmacist_sees_each_pdf_page_as_a_readable_png(
    pharmacist_client, pdf_prescription, pdf_order
):
    for page in (1, 2):
        response = pharmacist_client.get(page_url(pdf_prescription, page))

        assert response.status_code == 200
        assert response["Content-Type"] == "image/png"
        image = Image.open(io.BytesIO(response.content))
        # US Letter at 150 dpi: 8.5 x 11 inches.
        assert image.width == 1275
        assert abs(image.height - 1650) <= 1  # PDFium rounds up
        assert image.convert("L").getextrema()[0] < 64  # the text is drawn
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "no-store" in response["Cache-Control"]
        assert response["Content-Disposition"] == (
            f'inline; filename="prescription-{pdf_order.number}-page-{page}.png"'
        )
        assert b"%PDF" not in response.content


def test_the_pdf_itself_is_never_served(pharmacist_client, pdf_prescription):
    response = pharmacist_client.get(file_url(pdf_prescription))

    assert response.status_code == 404
    assert b"%PDF" not in response.content


@pytest.mark.parametrize("page", [0, 3, 99])
def test_a_page_the_pdf_does_not_have_is_404(pharmacist_client, pdf_prescription, page):
    assert pharmacist_client.get(page_url(pdf_prescription, page)).status_code == 404


def test_an_image_prescription_has_no_pages(pharmacist_client, prescription):
    assert pharmacist_client.get(page_url(prescription, 1)).status_code == 404


def test_a_drawn_page_is_kept_privately_and_reused(
    pharmacist_client, pdf_prescription, monkeypatch
):
    first = pharmacist_client.get(page_url(pdf_prescription, 1)).content
    folder = prescription_pages.cache_folder(pdf_prescription)
    assert prescription_storage().listdir(folder) == ([], ["page-1.png"])
    with prescription_storage().open(f"{folder}/page-1.png") as cached:
        assert cached.read() == first
    with pytest.raises(ValueError, match="no URL"):
        prescription_storage().url(f"{folder}/page-1.png")

    def no_drawing(**kwargs):
        raise AssertionError("drew the page again")

    monkeypatch.setattr(prescription_pages, "_draw", no_drawing)
    assert pharmacist_client.get(page_url(pdf_prescription, 1)).content == first


@pytest.mark.parametrize("who", ["price editor", "plain staff", "anonymous"])
def test_anyone_but_a_pharmacist_gets_404_for_a_page(
    who, pdf_prescription, price_editor
):
    user = {
        "price editor": price_editor,
        "plain staff": UserFactory(is_staff=True),
        "anonymous": None,
    }[who]

    response = logged_in(user).get(page_url(pdf_prescription, 1))

    assert response.status_code == 404
    assert not (prescription_storage().exists(prescription_pages.CACHE_FOLDER))


def test_page_count_and_image_urls_for_the_review_page(pdf_prescription, prescription):
    assert prescription_pages.page_count(pdf_prescription) == 2
    assert prescription_files.image_urls(pdf_prescription) == [
        page_url(pdf_prescription, 1),
        page_url(pdf_prescription, 2),
    ]
    assert prescription_pages.page_count(prescription) == 1
    assert prescription_files.image_urls(prescription) == [file_url(prescription)]


# -- the access records ---------------------------------------------------------


def test_each_image_served_is_recorded_as_viewed(
    pharmacist_client, pharmacist, pdf_prescription, pdf_order, prescription, order
):
    pharmacist_client.get(page_url(pdf_prescription, 2))
    pharmacist_client.get(file_url(prescription))

    records = list(HealthDataAccess.objects.order_by("id"))
    assert [(r.user, r.order, r.subject, r.action, r.detail) for r in records] == [
        (
            pharmacist,
            pdf_order,
            AccessSubject.PRESCRIPTION_PAGE,
            AccessAction.VIEWED,
            "page 2",
        ),
        (pharmacist, order, AccessSubject.PRESCRIPTION_FILE, AccessAction.VIEWED, ""),
    ]
    assert records[0].path == page_url(pdf_prescription, 2)


def test_a_refused_page_is_recorded_as_denied(pdf_prescription, db):
    moderator = UserFactory(is_staff=True)
    moderator.groups.add(staff_groups_ensure()[REVIEW_MODERATORS])

    logged_in(moderator).get(page_url(pdf_prescription, 1))

    record = HealthDataAccess.objects.get()
    assert (record.user, record.subject, record.action, record.order) == (
        moderator,
        AccessSubject.PRESCRIPTION_PAGE,
        AccessAction.DENIED,
        None,
    )


def test_a_pharmacist_asking_for_a_missing_page_is_recorded_as_denied(
    pharmacist_client, pdf_prescription
):
    pharmacist_client.get(page_url(pdf_prescription, 3))

    record = HealthDataAccess.objects.get()
    assert (record.action, record.detail) == (AccessAction.DENIED, "HTTP 404")
