"""Cached catalogue data is never stale: each change shows on the next page view."""

from decimal import Decimal

import pytest

from catalog.models import ProductAttributeValue, Strength
from catalog.partner.models import StockRecord
from checkout.orders import actions
from pharmacy.staff.groups import staff_groups_ensure
from pharmacy.staff.roles import PHARMACISTS
from tests.checkout_helpers import place_order
from tests.factories import UserFactory, make_drug

pytestmark = pytest.mark.django_db


def test_a_new_lowest_price_shows_on_the_listing_and_product_page_at_once(client):
    drug = make_drug(prices={"10": {30: "38.70", 360: "219.60"}})
    assert "$0.61" in client.get("/catalogue/").content.decode()  # now cached
    assert "$219.60" in client.get(drug.product.get_absolute_url()).content.decode()

    record = StockRecord.objects.get(product__upc__endswith="-10-360")
    record.price = Decimal("180.00")
    record.save()

    assert "$0.50" in client.get("/catalogue/").content.decode()
    page = client.get(drug.product.get_absolute_url()).content.decode()
    assert "$180.00" in page and "$219.60" not in page


def test_switching_a_strength_off_removes_it_from_the_cached_page(client):
    drug = make_drug()
    url = drug.product.get_absolute_url()
    assert 'name="strength" value="25"' in client.get(url).content.decode()

    strength = Strength.objects.get(drug=drug, mg=25)
    strength.is_available = False
    strength.save()

    assert 'name="strength" value="25"' not in client.get(url).content.decode()


def test_a_monograph_edit_shows_at_once(client, drug):
    url = drug.product.get_absolute_url()
    client.get(url)
    section = drug.sections.first()
    section.body = "Freshly edited advice."
    section.save()

    assert "Freshly edited advice." in client.get(url).content.decode()


def test_the_last_pack_sold_shows_out_of_stock_at_once(client):
    drug = make_drug(prices={"10": {30: "38.70"}}, stock=1)
    url = drug.product.get_absolute_url()
    assert "out of stock" not in client.get(url).content.decode()

    place_order(product=drug.product.children.get())

    assert "out of stock" in client.get(url).content.decode()


def test_a_sale_that_leaves_stock_keeps_serving_the_cached_page(
    client, django_assert_num_queries
):
    drug = make_drug(prices={"10": {30: "38.70"}}, stock=5)
    url = drug.product.get_absolute_url()
    client.get(url)

    place_order(product=drug.product.children.get())

    with django_assert_num_queries(0):
        page = client.get(url).content.decode()
    assert "In stock" in page and "out of stock" not in page


def test_restocking_a_sold_out_pack_shows_it_in_stock_at_once(client):
    drug = make_drug(prices={"10": {30: "38.70"}}, stock=0)
    url = drug.product.get_absolute_url()
    assert "out of stock" in client.get(url).content.decode()

    record = StockRecord.objects.get(product__upc__endswith="-10-30")
    record.num_in_stock = 20
    record.save()

    assert "out of stock" not in client.get(url).content.decode()


def test_a_price_changed_and_changed_back_on_one_record_shows_each_time(client):
    drug = make_drug(prices={"10": {30: "38.70"}})
    url = drug.product.get_absolute_url()
    record = StockRecord.objects.get(product__upc__endswith="-10-30")

    record.price = Decimal("35.00")
    record.save()
    assert "$35.00" in client.get(url).content.decode()

    record.price = Decimal("38.70")
    record.save()
    page = client.get(url).content.decode()
    assert "$38.70" in page and "$35.00" not in page


def test_a_rejected_order_of_the_last_pack_puts_it_back_in_stock_at_once(client):
    drug = make_drug(prices={"10": {30: "38.70"}}, stock=1)
    url = drug.product.get_absolute_url()
    order = place_order(product=drug.product.children.get())
    assert "out of stock" in client.get(url).content.decode()  # now cached

    pharmacist = UserFactory(is_staff=True)
    pharmacist.groups.add(staff_groups_ensure()[PHARMACISTS])
    actions.order_reject(order=order, actor=pharmacist, reason="Expired.")

    assert "out of stock" not in client.get(url).content.decode()


def test_a_bulk_price_update_shows_on_the_next_product_page_request(client):
    drug = make_drug(prices={"10": {30: "38.70", 360: "219.60"}})
    url = drug.product.get_absolute_url()
    client.get(url)
    assert "$219.60" in client.get(url).content.decode()  # from the shared page

    StockRecord.objects.filter(product__parent=drug.product).update(
        price=Decimal("12.34")
    )

    page = client.get(url).content.decode()
    assert "$12.34" in page and "$219.60" not in page


def test_a_bulk_update_of_records_shows_on_the_next_product_page_request(client):
    drug = make_drug(prices={"10": {30: "38.70", 360: "219.60"}})
    url = drug.product.get_absolute_url()
    client.get(url)
    assert "$219.60" in client.get(url).content.decode()

    records = list(StockRecord.objects.filter(product__parent=drug.product))
    for record in records:
        record.price = Decimal("23.45")
    StockRecord.objects.bulk_update(records, ["price"])

    page = client.get(url).content.decode()
    assert "$23.45" in page and "$219.60" not in page


def test_a_bulk_update_of_a_packs_size_shows_on_the_next_product_page_request(client):
    drug = make_drug(prices={"10": {30: "38.70", 360: "219.60"}})
    url = drug.product.get_absolute_url()
    client.get(url)
    assert "360 tablets" in client.get(url).content.decode()

    ProductAttributeValue.objects.filter(
        product__upc__endswith="-10-360", attribute__code="tablets_per_pack"
    ).update(value_integer=120)

    page = client.get(url).content.decode()
    assert "120 tablets" in page and "360 tablets" not in page
