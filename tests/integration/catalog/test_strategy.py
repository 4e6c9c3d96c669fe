"""The partner strategy: a pack may be bought only while it, its drug and its
strength are on sale in our market and it is in stock."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from oscar.core.loading import get_class

from catalog.models import Product
from catalog.partner import strategy as pharmacy_strategy
from catalog.partner.models import StockRecord
from tests.factories import make_drug, make_pack, strength_switch

pytestmark = pytest.mark.django_db

Selector = get_class("partner.strategy", "Selector")


def new_strategy():
    return Selector().strategy()


def pack(drug, mg: str, tablets: int) -> Product:
    return Product.objects.get(parent=drug.product, upc__endswith=f"-{mg}-{tablets}")


def purchasable(product) -> bool:
    """Asked the way the basket asks, with a fresh strategy (one per request)."""
    info = new_strategy().fetch_for_product(product)
    permitted, _reason = info.availability.is_purchase_permitted(1)
    assert permitted == info.availability.is_available_to_buy
    return info.availability.is_available_to_buy


def test_oscar_loads_the_pharmacy_strategy():
    assert Selector is pharmacy_strategy.Selector
    assert isinstance(new_strategy(), pharmacy_strategy.Default)


def test_a_normal_pack_is_purchasable_at_its_pack_price_without_tax():
    drug = make_drug()

    info = new_strategy().fetch_for_product(pack(drug, "25", 90))

    assert info.availability.is_available_to_buy
    assert info.availability.is_purchase_permitted(100) == (True, "")
    assert info.price.exists
    assert info.price.excl_tax == Decimal("224.10")
    assert info.price.incl_tax == Decimal("224.10")
    assert info.price.currency == "USD"


def test_every_pack_of_an_on_sale_drug_is_purchasable():
    drug = make_drug()

    children = Product.objects.filter(parent=drug.product)

    assert children.count() == 5
    assert all(purchasable(child) for child in children)


def test_packs_of_a_withdrawn_strength_are_not_purchasable():
    drug = make_drug(withdrawn=("25",))

    assert not purchasable(pack(drug, "25", 30))
    assert not purchasable(pack(drug, "25", 90))
    assert purchasable(pack(drug, "10", 30))
    info = new_strategy().fetch_for_product(pack(drug, "25", 90))
    assert info.availability.is_purchase_permitted(1) == (False, "unavailable")


def test_withdrawing_a_strength_takes_effect_for_the_next_strategy():
    drug = make_drug()
    child = pack(drug, "10", 60)
    assert purchasable(child)

    strength_switch(drug=drug, mg="10", available=False)
    assert not purchasable(child)

    strength_switch(drug=drug, mg="10", available=True)
    assert purchasable(child)


def test_a_strength_withdrawn_for_one_drug_stays_on_sale_for_another():
    withdrawn = make_drug(
        title="Baclofen", prices={"10": {30: "38.70"}}, withdrawn=("10",)
    )
    other = make_drug(title="Tizanidine", prices={"10": {30: "20.00"}})

    assert not purchasable(pack(withdrawn, "10", 30))
    assert purchasable(pack(other, "10", 30))


def test_a_fractional_strength_is_matched_to_its_strength_row():
    drug = make_drug(
        prices={"2.5": {30: "12.00"}, "5": {30: "20.00"}}, withdrawn=("2.5",)
    )

    assert not purchasable(pack(drug, "2.5", 30))
    assert purchasable(pack(drug, "5", 30))


def test_a_hidden_pack_is_not_purchasable():
    drug = make_drug()
    child = pack(drug, "10", 30)
    Product.objects.filter(pk=child.pk).update(is_public=False)
    child.refresh_from_db()

    assert not purchasable(child)
    assert purchasable(pack(drug, "10", 60))


def test_packs_of_a_hidden_drug_are_not_purchasable():
    drug = make_drug()
    Product.objects.filter(pk=drug.product.pk).update(is_public=False)

    for child in Product.objects.filter(parent=drug.product):
        assert not purchasable(child), child.title


def test_an_out_of_stock_pack_is_not_purchasable():
    drug = make_drug(prices={"10": {30: "38.70"}})
    empty = make_pack(drug=drug, mg="10", tablets=60, price="65.40", stock=0)

    info = new_strategy().fetch_for_product(empty)

    assert not info.availability.is_available_to_buy
    assert info.availability.is_purchase_permitted(1) == (False, "no stock available")
    assert purchasable(pack(drug, "10", 30))


def test_a_pack_whose_stock_is_all_allocated_is_not_purchasable():
    drug = make_drug(prices={"10": {30: "38.70"}}, stock=5)
    child = pack(drug, "10", 30)
    assert purchasable(child)

    StockRecord.objects.filter(product=child).update(num_allocated=5)

    assert not purchasable(child)


def test_a_pack_can_be_bought_only_up_to_its_stock():
    drug = make_drug(prices={"10": {30: "38.70"}}, stock=3)

    availability = new_strategy().fetch_for_product(pack(drug, "10", 30)).availability

    assert availability.is_purchase_permitted(3) == (True, "")
    assert availability.is_purchase_permitted(4) == (
        False,
        "a maximum of 3 can be bought",
    )


def test_a_pack_without_a_stock_record_is_not_purchasable():
    drug = make_drug(prices={"10": {30: "38.70"}})
    child = pack(drug, "10", 30)
    StockRecord.objects.filter(product=child).delete()

    info = new_strategy().fetch_for_product(child)

    assert not info.availability.is_available_to_buy
    assert not info.price.exists


def test_a_drug_is_purchasable_while_any_of_its_packs_is():
    drug = make_drug(
        prices={"10": {30: "38.70"}, "25": {30: "101.70"}}, withdrawn=("25",)
    )

    info = new_strategy().fetch_for_parent(drug.product)

    assert info.availability.is_available_to_buy


def test_a_drug_whose_packs_are_all_withdrawn_or_out_of_stock_is_not_purchasable():
    drug = make_drug(prices={"25": {30: "101.70"}}, withdrawn=("25",))
    make_pack(drug=drug, mg="10", tablets=30, price="38.70", stock=0)

    info = new_strategy().fetch_for_parent(drug.product)

    assert not info.availability.is_available_to_buy


def test_a_strategy_reads_strengths_once_however_many_packs_it_checks():
    # One read gives both the withdrawn strengths and those not sold here.
    drug = make_drug(withdrawn=("25",))
    children = list(
        Product.objects.filter(parent=drug.product).select_related("parent")
    )
    strategy = new_strategy()

    with CaptureQueriesContext(connection) as queries:
        results = {c.upc: strategy.fetch_for_product(c).availability for c in children}

    strength_reads = [
        q for q in queries.captured_queries if "catalogue_strength" in q["sql"]
    ]
    assert len(strength_reads) == 1
    assert {upc for upc, a in results.items() if a.is_available_to_buy} == {
        f"{drug.product.upc}-10-30",
        f"{drug.product.upc}-10-60",
        f"{drug.product.upc}-10-360",
    }
