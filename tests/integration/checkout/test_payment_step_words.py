"""The payment step speaks of a card only when a card is offered."""

import pytest
from django.urls import reverse

from tests.checkout_helpers import png_upload
from tests.html import page, text
from tests.integration.checkout.test_checkout_steps import to_prescription_step

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_media(private_root, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"


def payment_page(client, drug) -> str:
    to_prescription_step(client, drug)
    client.post(
        reverse("checkout:prescription"), {"source": "upload", "file": png_upload()}
    )
    return text(page(client.get(reverse("checkout:payment-method"))))


def test_without_card_payment_the_step_says_nothing_of_a_card(client, drug, settings):
    settings.STRIPE_SECRET_KEY = ""

    body = payment_page(client, drug)

    assert "card" not in body.lower()
    assert "invoice" in body.lower()


def test_with_card_payment_the_step_says_the_card_is_only_authorised(
    client, drug, settings
):
    settings.STRIPE_SECRET_KEY = "sk_test_x"

    body = payment_page(client, drug)

    assert "A card is only authorised now" in body
