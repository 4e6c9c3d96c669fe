"""The price history keeps staff's edits, not every sale: allocating stock for
an order adds no "price change"."""

from decimal import Decimal

import pytest

from catalog.admin import price_changes
from catalog.models import Product
from catalog.partner.models import StockRecord
from tests.checkout_helpers import place_order
from tests.factories import make_drug

pytestmark = pytest.mark.django_db


def test_selling_a_pack_adds_no_price_change_but_an_edit_does(private_root):
    drug = make_drug(prices={"10": {30: "38.70"}})
    pack = Product.objects.get(parent=drug.product)
    record = StockRecord.objects.get(product=pack)

    place_order(product=pack, quantity=2)

    record.refresh_from_db()
    assert record.num_allocated == 2
    assert price_changes().filter(id=record.pk).count() == 1  # the creation
    record.price = Decimal("40.00")
    record.save()
    assert price_changes().filter(id=record.pk).count() == 2
