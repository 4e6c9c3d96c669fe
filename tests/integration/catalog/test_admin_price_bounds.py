"""A pack price has an upper bound (settings.PACK_PRICE_MAX), and a change of
more than 5 times the old price, or below a fifth of it, needs confirming."""

from decimal import Decimal

import pytest

from catalog import pricing
from catalog.partner.models import StockRecord
from tests.factories import make_drug
from tests.integration.catalog.test_admin_prices import (
    CHANGELIST,
    _changelist_post,
    _parse,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def record(db) -> StockRecord:
    drug = make_drug(prices={"10": {30: "38.70", 60: "65.40"}})
    return StockRecord.objects.get(product__upc=f"{drug.product.upc}-10-30")


def post(client, record, price: str, *, confirm: bool = False):
    data = _changelist_post(client, {record.pk: price})
    if confirm:
        row = next(
            k for k, v in data.items() if k.endswith("-id") and v == str(record.pk)
        )
        data[row.removesuffix("-id") + "-price-confirm"] = "yes"
    return client.post(CHANGELIST, data)


def test_a_price_above_the_limit_is_refused(editor_client, record, settings):
    settings.PACK_PRICE_MAX = Decimal("10000.00")

    response = post(editor_client, record, "1000000000", confirm=True)

    assert response.status_code == 200
    assert "The price can be at most 10,000.00" in response.content.decode()
    record.refresh_from_db()
    assert record.price == Decimal("38.70")


def test_the_limit_itself_is_accepted_once_confirmed(editor_client, settings):
    settings.PACK_PRICE_MAX = Decimal("10000.00")
    drug = make_drug(prices={"10": {30: "2500.00"}})
    record = StockRecord.objects.get(product__parent=drug.product)

    response = post(editor_client, record, "10000.00")

    assert response.status_code == 302
    record.refresh_from_db()
    assert record.price == Decimal("10000.00")


@pytest.mark.parametrize("typed", ["193.51", "7.73"])
def test_a_change_beyond_five_times_asks_for_confirmation(editor_client, record, typed):
    response = post(editor_client, record, typed)

    assert response.status_code == 200
    html = response.content.decode()
    assert "more than 5 times the old price or below a fifth" in html
    confirm_boxes = [
        i for i in _parse(response).inputs if i.get("name", "").endswith("-confirm")
    ]
    assert len(confirm_boxes) == 1  # only on the row that needs it
    record.refresh_from_db()
    assert record.price == Decimal("38.70")


def test_a_confirmed_big_change_is_saved(editor_client, record):
    response = post(editor_client, record, "193.51", confirm=True)

    assert response.status_code == 302
    record.refresh_from_db()
    assert record.price == Decimal("193.51")


@pytest.mark.parametrize("typed", ["193.50", "7.74", "40.00"])
def test_a_change_within_five_times_needs_no_confirmation(editor_client, record, typed):
    response = post(editor_client, record, typed)

    assert response.status_code == 302
    record.refresh_from_db()
    assert record.price == Decimal(typed)


def test_the_confirmation_rule():
    assert not pricing.price_change_needs_confirming(old=None, new=Decimal("999"))
    assert not pricing.price_change_needs_confirming(
        old=Decimal("10"), new=Decimal("50")
    )
    assert pricing.price_change_needs_confirming(
        old=Decimal("10"), new=Decimal("50.01")
    )
    assert pricing.price_change_needs_confirming(old=Decimal("10"), new=Decimal("1.99"))
