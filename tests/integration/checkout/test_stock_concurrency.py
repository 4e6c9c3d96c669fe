"""The last packs on the shelf, bought by many shoppers at once.

Only PostgreSQL locks rows: SQLite serialises whole-database writes and ignores
SELECT ... FOR UPDATE, so this race can only be run, and only matters, there.
"""

from collections import Counter

import pytest
from django.conf import settings
from oscar.apps.order.models import Order

from catalog.models import Product
from catalog.partner.models import StockRecord
from checkout.orders import placing
from checkout.orders.models import CheckoutAttempt
from tests.checkout_helpers import basket_with, checkout_attempt
from tests.concurrency import at_once
from tests.factories import reference_data_ensure

BUYERS = 50
LAST_PACKS = 10

ON_POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")

pytestmark = [
    pytest.mark.skipif(
        not ON_POSTGRES,
        reason=(
            "Needs PostgreSQL (set DATABASE_URL): SQLite has no row locks, so "
            "concurrent buyers can't race for the same stock record there."
        ),
    ),
    # Committed data, so that every buyer's own connection sees it.
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def united_states():
    """The migrations add the US; a transactional test that ran before this
    one emptied every table, so add it again (committed, like the rest)."""
    reference_data_ensure()


def test_fifty_buyers_of_the_last_ten_packs_make_exactly_ten_orders(
    drug, united_states, private_root
):
    pack = Product.objects.get(upc=f"{drug.product.upc}-10-30")
    StockRecord.objects.filter(product=pack).update(
        num_in_stock=LAST_PACKS, num_allocated=0
    )
    attempts = [
        checkout_attempt(basket=basket_with(product=pack, quantity=1)).pk
        for _ in range(BUYERS)
    ]

    def buy(attempt_id: int) -> str:
        try:
            placing.order_place(attempt_id=attempt_id)
            return "placed"
        except placing.OrderNotPlaced as exc:
            return f"refused: {exc}"

    outcomes, unexpected, alive = at_once(buy, attempts)

    assert alive == []
    assert unexpected == []
    kinds = Counter(outcome.split(":")[0] for outcome in outcomes.values())
    assert kinds == {"placed": LAST_PACKS, "refused": BUYERS - LAST_PACKS}
    assert all(
        "sold out" in outcome
        for outcome in outcomes.values()
        if outcome.startswith("refused")
    )
    assert Order.objects.count() == LAST_PACKS
    record = StockRecord.objects.get(product=pack)
    assert (record.num_in_stock, record.num_allocated) == (LAST_PACKS, LAST_PACKS)
    assert record.net_stock_level == 0
    placed = CheckoutAttempt.objects.filter(status=CheckoutAttempt.Status.PLACED)
    assert placed.count() == LAST_PACKS
    assert set(placed.values_list("order__number", flat=True)) == set(
        Order.objects.values_list("number", flat=True)
    )
    assert (
        CheckoutAttempt.objects.filter(
            status=CheckoutAttempt.Status.PENDING, order__isnull=True
        ).count()
        == BUYERS - LAST_PACKS
    )
