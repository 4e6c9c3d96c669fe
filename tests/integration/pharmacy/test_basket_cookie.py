"""The guest's basket comes from a signed cookie: a cookie that is tampered
with, or names a basket that is no longer open, gives an empty basket and is
deleted."""

import pytest
from django.conf import settings
from django.core.signing import Signer
from django.urls import reverse

from checkout.basket.models import Basket
from tests.checkout_helpers import pack_add

pytestmark = pytest.mark.django_db
COOKIE = settings.OSCAR_BASKET_COOKIE_OPEN


def basket_page(client):
    response = client.get(reverse("basket:summary"))
    assert response.status_code == 200
    return response


def test_the_cookie_brings_back_the_guests_basket(client, drug):
    pack_add(client, drug=drug)

    page = basket_page(client).content.decode()

    assert "Your basket is empty" not in page
    assert "30 tablets" in page


@pytest.mark.parametrize(
    "value",
    [
        "12:forged-signature",
        Signer().sign("not-a-number"),
        Signer().sign("99999999999999999999999"),
    ],
)
def test_a_tampered_cookie_gives_an_empty_basket_and_is_deleted(client, drug, value):
    client.cookies[COOKIE] = value

    response = basket_page(client)

    assert "Your basket is empty" in response.content.decode()
    assert response.cookies[COOKIE].value == ""


def test_the_cookie_of_a_submitted_basket_gives_an_empty_basket(client, drug):
    pack_add(client, drug=drug)
    Basket.objects.update(status=Basket.SUBMITTED)

    response = basket_page(client)

    assert "Your basket is empty" in response.content.decode()
    assert response.cookies[COOKIE].value == ""
