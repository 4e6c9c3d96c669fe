"""The review page says who the medicine is for and how the prescription
reaches us, and never shows the uploaded file's name."""

import pytest
from django.urls import reverse

from tests.checkout_helpers import guest_checkout_to_preview, png_upload
from tests.integration.checkout.conftest import add_url

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private(private_root):
    pass


def test_review_shows_the_patient_and_the_kind_of_upload(client, drug):
    guest_checkout_to_preview(
        client,
        product_page_add_url=add_url(drug.product),
        prescription={"source": "upload", "file": png_upload("jane-doe-rx.png")},
    )
    html = client.get(reverse("checkout:preview")).content.decode()
    assert "Alex Rivera" in html
    assert "Uploaded: a PNG photo or scan" in html
    assert "jane-doe-rx" not in html


def test_review_shows_the_prescriber_and_npi(client, drug):
    guest_checkout_to_preview(
        client,
        product_page_add_url=add_url(drug.product),
        prescription={
            "source": "prescriber",
            "prescriber_name": "Dr Jordan Lee",
            "prescriber_phone": "+1 217 555 0199",
            "prescriber_npi": "1234567893",
        },
    )
    html = client.get(reverse("checkout:preview")).content.decode()
    assert "We will ask your prescriber, Dr Jordan Lee (NPI 1234567893)" in html


def test_prescription_step_puts_each_option_under_its_own_heading(client, drug):
    guest_checkout_to_preview(client, product_page_add_url=add_url(drug.product))
    html = client.get(reverse("checkout:prescription")).content.decode()
    assert "If you upload the prescription" in html
    assert "If we ask your prescriber" in html
    assert 'data-rx-option="upload"' in html and 'data-rx-option="prescriber"' in html
