"""How a pack's price is made: for any cost, fee, price and delivery, the parts
add up to the charged price to the cent, each rounded once."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from catalog.costs.breakdown import price_breakdown
from catalog.pricing import CENT

cents = st.integers(min_value=0, max_value=1_000_000).map(lambda c: Decimal(c) / 100)
# What we pay may come from a per-tablet rate: any number of decimal places.
any_amount = st.decimals(
    min_value=Decimal("0"), max_value=Decimal("10000"), places=6, allow_nan=False
)


@given(pack_price=cents, cost=any_amount, fee=any_amount, delivery=cents)
def test_the_parts_add_up_to_what_the_basket_charges(pack_price, cost, fee, delivery):
    b = price_breakdown(
        pack_price=pack_price,
        acquisition_cost=cost,
        pharmacy_fee=fee,
        delivery=delivery,
    )

    assert b.acquisition_cost + b.pharmacy_fee + b.margin == pack_price
    assert b.acquisition_cost + b.pharmacy_fee + b.margin + b.delivery == b.total
    assert b.total == pack_price + delivery
    for part in (b.acquisition_cost, b.pharmacy_fee, b.margin, b.delivery, b.total):
        assert part == part.quantize(CENT)


@given(pack_price=cents, cost=any_amount, fee=any_amount)
def test_cost_and_fee_are_rounded_once_and_the_margin_not_at_all(pack_price, cost, fee):
    b = price_breakdown(
        pack_price=pack_price, acquisition_cost=cost, pharmacy_fee=fee, delivery=CENT
    )

    # Each within half a cent of the figure it came from: one rounding, no drift.
    assert abs(b.acquisition_cost - cost) <= Decimal("0.005")
    assert abs(b.pharmacy_fee - fee) <= Decimal("0.005")
    assert b.pack_price == pack_price  # the stored price is never changed
    assert b.below_cost == (pack_price < b.acquisition_cost + b.pharmacy_fee)


def test_a_pack_sold_below_cost_and_fee_shows_a_negative_margin():
    b = price_breakdown(
        pack_price=Decimal("5.00"),
        acquisition_cost=Decimal("3.10"),
        pharmacy_fee=Decimal("4.00"),
        delivery=Decimal("4.95"),
    )

    assert b.margin == Decimal("-2.10")
    assert b.below_cost
    assert b.total == Decimal("9.95")


def test_half_a_cent_rounds_up_once():
    b = price_breakdown(
        pack_price=Decimal("38.70"),
        acquisition_cost=Decimal("0.045") * 30,  # 1.35 exactly
        pharmacy_fee=Decimal("4.005"),
        delivery=Decimal("4.95"),
    )

    assert (b.acquisition_cost, b.pharmacy_fee, b.margin) == (
        Decimal("1.35"),
        Decimal("4.01"),
        Decimal("33.34"),
    )


@pytest.mark.parametrize(
    "pack_price, delivery",
    [(Decimal("38.705"), CENT), (Decimal("38.70"), Decimal("0.001"))],
)
def test_a_charged_price_that_is_not_whole_cents_is_refused(pack_price, delivery):
    with pytest.raises(ValueError):
        price_breakdown(
            pack_price=pack_price,
            acquisition_cost=Decimal("1"),
            pharmacy_fee=Decimal("1"),
            delivery=delivery,
        )
