"""The catalogue and home listings (from-price, per tablet, badges), the footer
every page ends with, and a product view that writes nothing."""

import pytest
from django.urls import reverse

from tests.factories import make_drug, make_pack
from tests.html import Node, find_all, find_one, page, text

pytestmark = pytest.mark.django_db


def _card(root, title: str) -> Node:
    cards = [
        c
        for c in find_all(root, "article", cls="card")
        if text(find_one(c, "h2")) == title
    ]
    assert len(cards) == 1, f"no single card for {title}"
    return cards[0]


@pytest.mark.parametrize("url_name", ["home", "catalogue:index"])
def test_listing_shows_from_price_per_tablet_and_prescription_badge(client, url_name):
    drug = make_drug()

    card = _card(page(client.get(reverse(url_name))), "Baclofen")

    assert text(find_one(card, "p", cls="from-price")) == "from $0.61 per tablet"
    assert text(find_one(card, "span", cls="badge-rx")) == "Prescription only"
    assert find_one(card, "a").attrs["href"] == drug.product.get_absolute_url()


@pytest.mark.parametrize("url_name", ["home", "catalogue:index"])
def test_listing_from_price_ignores_withdrawn_strengths(client, url_name):
    make_drug(
        prices={"10": {30: "38.70"}, "25": {30: "101.70", 90: "224.10"}},
        withdrawn=("10",),
    )

    card = _card(page(client.get(reverse(url_name))), "Baclofen")

    # 10 mg at $1.29 is cheapest per tablet but is not sold in our market.
    assert text(find_one(card, "p", cls="from-price")) == "from $2.49 per tablet"


@pytest.mark.parametrize("url_name", ["home", "catalogue:index"])
def test_listing_from_price_ignores_out_of_stock_packs(client, url_name):
    drug = make_drug(prices={"10": {30: "38.70", 60: "65.40"}})
    make_pack(drug=drug, mg="10", tablets=360, price="219.60", stock=0)

    card = _card(page(client.get(reverse(url_name))), "Baclofen")

    assert text(find_one(card, "p", cls="from-price")) == "from $1.09 per tablet"


@pytest.mark.parametrize("url_name", ["home", "catalogue:index"])
def test_listing_says_unavailable_when_no_pack_can_be_bought(client, url_name):
    make_drug(prices={"10": {30: "38.70"}}, stock=0)

    card = _card(page(client.get(reverse(url_name))), "Baclofen")

    assert find_all(card, "p", cls="from-price") == []
    assert "Currently unavailable" in text(card)


@pytest.mark.parametrize("url_name", ["home", "catalogue:index"])
def test_listing_prices_each_drug_separately(client, url_name):
    make_drug(title="Baclofen")
    make_drug(title="Tizanidine", prices={"2": {30: "15.00", 90: "36.00"}})
    otc = make_drug(title="Cheapadol", prices={"500": {16: "3.20"}})
    otc.prescription_required = False
    otc.save()

    root = page(client.get(reverse(url_name)))

    assert text(find_one(_card(root, "Tizanidine"), "p", cls="from-price")) == (
        "from $0.40 per tablet"
    )
    assert text(find_one(_card(root, "Baclofen"), "p", cls="from-price")) == (
        "from $0.61 per tablet"
    )
    assert text(find_one(_card(root, "Cheapadol"), "p", cls="from-price")) == (
        "from $0.20 per tablet"
    )
    assert find_all(_card(root, "Cheapadol"), "span", cls="badge-rx") == []


# The footer


@pytest.fixture
def pharmacy_details(settings):
    settings.PHARMACY = {
        "name": "Riverside Test Pharmacy",
        "street_address": "1 River Road, Testville, TS 12345",
        "phone": "+1 555 0199",
        "licence_number": "PH-4242",
        "pharmacist_in_charge": "Alex Sample, PharmD",
        "is_demo": False,
    }
    return settings.PHARMACY


def _footer_pages(drug):
    return [
        reverse("home"),
        reverse("catalogue:index"),
        drug.product.get_absolute_url(),
    ]


def test_footer_shows_the_pharmacy_from_settings_on_every_page(
    client, pharmacy_details
):
    drug = make_drug()

    for url in _footer_pages(drug):
        footer = text(find_one(page(client.get(url)), "footer", cls="site-footer"))
        assert "Riverside Test Pharmacy" in footer, url
        assert "1 River Road, Testville, TS 12345" in footer, url
        assert "Phone: +1 555 0199" in footer, url
        assert "Pharmacy licence: PH-4242" in footer, url
        assert "Pharmacist in charge: Alex Sample, PharmD" in footer, url
        assert "Demo data" not in footer, url


def test_footer_marks_demo_data(client, settings, pharmacy_details):
    settings.PHARMACY = {**pharmacy_details, "is_demo": True}
    drug = make_drug()

    for url in _footer_pages(drug):
        footer = find_one(page(client.get(url)), "footer", cls="site-footer")
        badge = find_one(footer, "span", cls="badge-demo")
        assert text(badge) == "Demo data, not a real pharmacy", url


def test_viewing_a_product_writes_nothing_to_the_database(client, drug):
    # Oscar's analytics would bump a counter row on every view: a write inside a
    # GET, which on SQLite makes concurrent shoppers fail with "database is locked".
    from oscar.apps.analytics.models import ProductRecord

    response = client.get(drug.product.get_absolute_url())

    assert response.status_code == 200
    assert ProductRecord.objects.count() == 0
