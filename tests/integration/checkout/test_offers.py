"""Offers: a shop with none pays no offer queries; one set up applies at once."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from oscar.test.factories import (
    BenefitFactory,
    ConditionalOfferFactory,
    ConditionFactory,
    RangeFactory,
)

from tests.factories import make_drug

pytestmark = pytest.mark.django_db

OFFER_TABLES = ("offer_conditionaloffer", "voucher_voucher")


def basket_total(response) -> str:
    found = re.search(r'class="basket-total">([^<]+)<', response.content.decode())
    assert found, "no basket total on the page"
    return found.group(1)


@pytest.fixture
def basket_client(client):
    drug = make_drug(prices={"10": {30: "38.70"}})
    add_url = reverse(
        "catalogue:add-variant",
        kwargs={"product_slug": drug.product.slug, "pk": drug.product.pk},
    )
    client.post(add_url, {"strength": "10", "pack": "30", "quantity": "1"})
    return client


def ten_percent_off_everything():
    everything = RangeFactory(includes_all_products=True)
    return ConditionalOfferFactory(
        condition=ConditionFactory(range=everything, value=1),
        benefit=BenefitFactory(range=everything, value=10),
    )


def test_without_offers_the_basket_page_asks_nothing_about_offers(basket_client):
    basket_client.get(reverse("basket:summary"))

    with CaptureQueriesContext(connection) as ctx:
        page = basket_client.get(reverse("basket:summary"))

    assert basket_total(page) == "$38.70"
    offer_queries = [
        q["sql"]
        for q in ctx.captured_queries
        if any(t in q["sql"] for t in OFFER_TABLES)
    ]
    # Whether any offer exists is read through the catalogue cache, which an
    # offer's save renews (the next test): once known, nothing is asked.
    assert offer_queries == []


def test_an_offer_set_up_applies_at_once_and_stops_when_deleted(basket_client):
    assert basket_total(basket_client.get(reverse("basket:summary"))) == "$38.70"

    offer = ten_percent_off_everything()
    assert basket_total(basket_client.get(reverse("basket:summary"))) == "$34.83"

    offer.delete()
    assert basket_total(basket_client.get(reverse("basket:summary"))) == "$38.70"
