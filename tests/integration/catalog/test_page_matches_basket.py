"""What the product page shows of each pack is what the basket charges, because
both ask the purchase strategy: with a strength switched off, a pack out of
stock and a price changed."""

import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from oscar.core.loading import get_class, get_model

from catalog.models import Product
from catalog.partner import strategy as purchase
from catalog.partner.models import StockRecord
from tests.factories import make_drug, strength_switch

pytestmark = pytest.mark.django_db

Line = get_model("basket", "Line")
Selector = get_class("partner.strategy", "Selector")

CELL = re.compile(
    r'<td data-variant="(?P<key>[^"]+)"><span class="cell-pack">\$(?P<price>[\d,.]+)'
    r"</span>(?P<rest>.*?)</td>",
    re.S,
)


def page_offers(drug) -> dict[tuple[str, int], tuple[Decimal, bool]]:
    """Each pack the page's price table lists: its price and whether it can be
    bought (not marked out of stock)."""
    html = Client().get(drug.product.get_absolute_url()).content.decode()
    offers = {}
    for m in CELL.finditer(html):
        mg, tablets = m["key"].rsplit("-", 1)
        offers[(mg, int(tablets))] = (
            Decimal(m["price"].replace(",", "")),
            "out of stock" not in m["rest"],
        )
    return offers


def basket_charge(drug, mg: str, tablets: int) -> Decimal | None:
    """What a new shopper's basket charges for one pack, or None if refused."""
    client = Client()
    Line.objects.all().delete()
    client.post(
        reverse(
            "catalogue:add-variant",
            kwargs={"product_slug": drug.product.slug, "pk": drug.product.pk},
        ),
        {"strength": mg, "pack": tablets, "quantity": 1},
    )
    line = Line.objects.first()
    return None if line is None else line.price_incl_tax


def every_pack(drug) -> list[tuple[str, int, Product]]:
    packs = []
    for child in Product.objects.filter(parent=drug.product):
        mg, tablets = child.upc.rsplit("-", 2)[1:]
        packs.append((mg, int(tablets), child))
    return packs


def assert_page_matches_basket(drug) -> dict:
    offers = page_offers(drug)
    strategy = Selector().strategy()
    for mg, tablets, child in every_pack(drug):
        charged = basket_charge(drug, mg, tablets)
        info = strategy.fetch_for_product(child)
        shown = offers.get((mg, tablets))
        if shown is not None and shown[1]:
            assert charged == shown[0], (mg, tablets)
            assert info.price.incl_tax == shown[0]
            assert info.availability.is_available_to_buy
        else:
            assert charged is None, (mg, tablets)
            assert not info.availability.is_available_to_buy
    return offers


def test_every_pack_costs_on_the_page_what_the_basket_charges():
    drug = make_drug()

    offers = assert_page_matches_basket(drug)

    assert len(offers) == 5
    assert all(can_buy for _price, can_buy in offers.values())


def test_a_switched_off_strength_is_neither_shown_nor_charged():
    drug = make_drug()
    strength_switch(drug=drug, mg="25", available=False)

    offers = assert_page_matches_basket(drug)

    assert {mg for mg, _t in offers} == {"10"}


def test_an_out_of_stock_pack_is_shown_as_such_and_not_charged():
    drug = make_drug()
    record = StockRecord.objects.get(product__upc__endswith="-10-60")
    record.num_in_stock = 0
    record.save()

    offers = assert_page_matches_basket(drug)

    assert offers[("10", 60)] == (Decimal("65.40"), False)


def test_a_changed_price_is_shown_and_charged_at_once():
    drug = make_drug()
    page_offers(drug)  # cached at the old price
    record = StockRecord.objects.get(product__upc__endswith="-10-360")
    record.price = Decimal("199.99")
    record.save()

    offers = assert_page_matches_basket(drug)

    assert offers[("10", 360)] == (Decimal("199.99"), True)


@pytest.mark.parametrize(
    ("facts", "status"),
    [
        ({}, purchase.PackStatus.ON_SALE),
        ({"net_stock": 0}, purchase.PackStatus.OUT_OF_STOCK),
        ({"strength_on_sale": False}, purchase.PackStatus.STRENGTH_OFF),
        ({"price": None}, purchase.PackStatus.NO_PRICE),
        ({"drug_public": False}, purchase.PackStatus.HIDDEN),
        ({"pack_public": False, "net_stock": 0}, purchase.PackStatus.HIDDEN),
    ],
)
def test_the_one_rule_names_why_a_pack_cannot_be_bought(facts, status):
    base = {
        "pack_public": True,
        "drug_public": True,
        "strength_on_sale": True,
        "price": Decimal("10.00"),
        "net_stock": 3,
    }
    assert purchase.pack_status(**{**base, **facts}) is status
