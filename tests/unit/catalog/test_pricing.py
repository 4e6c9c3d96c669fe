"""Price arithmetic: every derived price comes from a pack price, in Decimal,
rounded half up to cents exactly once."""

from decimal import Decimal

import pytest

from catalog.pricing import (
    pack_saving,
    per_tablet_inversions,
    per_tablet_price,
    per_tablet_range,
    to_cents,
)


def assert_exact(value, expected: str) -> None:
    """Same type, same value and same exponent: Decimal("1.2") != "1.20" here."""
    assert isinstance(value, Decimal), f"{value!r} is not a Decimal"
    assert str(value) == expected


# to_cents


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        ("1.005", "1.01"),
        ("1.004", "1.00"),
        ("2.675", "2.68"),  # the classic float trap: 2.67 with binary floats
        ("0.005", "0.01"),
        ("0.0049999", "0.00"),
        ("-1.005", "-1.01"),  # half up means away from zero
        ("2", "2.00"),
        ("12.3", "12.30"),
        ("1234567.891", "1234567.89"),
    ],
)
def test_to_cents_rounds_half_up_to_two_places(amount, expected):
    assert_exact(to_cents(Decimal(amount)), expected)


def test_to_cents_is_not_bankers_rounding():
    # Banker's rounding (ROUND_HALF_EVEN) would give 0.02 and 0.04 here.
    assert_exact(to_cents(Decimal("0.025")), "0.03")
    assert_exact(to_cents(Decimal("0.045")), "0.05")


# per_tablet_price


@pytest.mark.parametrize(
    ("pack_price", "tablets", "expected"),
    [
        ("10.00", 3, "3.33"),
        ("20.00", 3, "6.67"),
        ("0.05", 2, "0.03"),  # 0.025 rounds half up, not to even
        ("0.15", 2, "0.08"),  # 0.075 rounds half up, not to even
        ("0.01", 2, "0.01"),
        ("0.01", 3, "0.00"),
        ("38.70", 30, "1.29"),
        ("65.40", 60, "1.09"),
        ("219.60", 360, "0.61"),
        ("101.70", 30, "3.39"),
        ("224.10", 90, "2.49"),
        ("5", 1, "5.00"),
        ("0.00", 30, "0.00"),
    ],
)
def test_per_tablet_price_divides_pack_price_and_rounds_half_up_to_cents(
    pack_price, tablets, expected
):
    assert_exact(
        per_tablet_price(pack_price=Decimal(pack_price), tablets=tablets), expected
    )


@pytest.mark.parametrize("tablets", [0, -1, -30])
def test_per_tablet_price_refuses_a_pack_without_tablets(tablets):
    with pytest.raises(ValueError, match="at least one tablet"):
        per_tablet_price(pack_price=Decimal("10.00"), tablets=tablets)


# pack_saving


def test_pack_saving_in_dollars_and_whole_percent_against_the_base_pack():
    # 60 tablets at the 30-pack's rate would be 77.40; the 60-pack costs 65.40.
    saving, percent = pack_saving(
        pack_price=Decimal("65.40"),
        tablets=60,
        base_pack_price=Decimal("38.70"),
        base_tablets=30,
    )
    assert_exact(saving, "12.00")
    assert_exact(percent, "16")  # 12.00 / 77.40 = 15.50...%


@pytest.mark.parametrize(
    ("pack_price", "tablets", "base_price", "base_tablets", "saving", "percent"),
    [
        ("219.60", 360, "38.70", 30, "244.80", "53"),  # 244.80 / 464.40 = 52.7%
        ("224.10", 90, "101.70", 30, "81.00", "27"),  # 81.00 / 305.10 = 26.5%
        ("7.00", 1, "8.00", 1, "1.00", "13"),  # exactly 12.5% rounds half up
    ],
)
def test_pack_saving_examples(
    pack_price, tablets, base_price, base_tablets, saving, percent
):
    result = pack_saving(
        pack_price=Decimal(pack_price),
        tablets=tablets,
        base_pack_price=Decimal(base_price),
        base_tablets=base_tablets,
    )
    assert_exact(result[0], saving)
    assert_exact(result[1], percent)


def test_pack_saving_dollars_come_from_the_unrounded_base_rate():
    # Base rate 10.00 / 3 = 3.333...; six tablets at that rate cost exactly 20.00.
    # Rounding the rate first (3.33 x 6 = 19.98) would give a 0.98 saving.
    saving, percent = pack_saving(
        pack_price=Decimal("19.00"),
        tablets=6,
        base_pack_price=Decimal("10.00"),
        base_tablets=3,
    )
    assert_exact(saving, "1.00")
    assert_exact(percent, "5")


def test_pack_saving_percent_comes_from_the_unrounded_base_rate():
    # Base rate 1.00 / 3; 300 tablets at that rate cost exactly 100.00, so 90.00
    # saves 10%. Rounding the rate first (0.33 x 300 = 99.00) would say 9%.
    saving, percent = pack_saving(
        pack_price=Decimal("90.00"),
        tablets=300,
        base_pack_price=Decimal("1.00"),
        base_tablets=3,
    )
    assert_exact(saving, "10.00")
    assert_exact(percent, "10")


def test_pack_saving_is_zero_for_the_base_pack_itself():
    saving, percent = pack_saving(
        pack_price=Decimal("38.70"),
        tablets=30,
        base_pack_price=Decimal("38.70"),
        base_tablets=30,
    )
    assert_exact(saving, "0.00")
    assert_exact(percent, "0")


def test_pack_saving_is_zero_for_a_pack_at_exactly_the_base_rate():
    saving, percent = pack_saving(
        pack_price=Decimal("77.40"),
        tablets=60,
        base_pack_price=Decimal("38.70"),
        base_tablets=30,
    )
    assert_exact(saving, "0.00")
    assert_exact(percent, "0")


def test_pack_saving_is_negative_when_the_pack_is_dearer_per_tablet():
    saving, percent = pack_saving(
        pack_price=Decimal("21.00"),
        tablets=20,
        base_pack_price=Decimal("10.00"),
        base_tablets=10,
    )
    assert_exact(saving, "-1.00")
    assert_exact(percent, "-5")
    assert saving < 0 and percent < 0


def test_pack_saving_against_a_free_base_pack_has_no_percent():
    saving, percent = pack_saving(
        pack_price=Decimal("5.00"),
        tablets=1,
        base_pack_price=Decimal("0.00"),
        base_tablets=1,
    )
    assert_exact(saving, "-5.00")
    assert_exact(percent, "0")


@pytest.mark.parametrize(("tablets", "base_tablets"), [(0, 30), (30, 0), (-30, 30)])
def test_pack_saving_refuses_a_pack_without_tablets(tablets, base_tablets):
    with pytest.raises(ValueError, match="at least one tablet"):
        pack_saving(
            pack_price=Decimal("10.00"),
            tablets=tablets,
            base_pack_price=Decimal("10.00"),
            base_tablets=base_tablets,
        )


# per_tablet_range


def test_per_tablet_range_is_lowest_and_highest_rounded_per_tablet_price():
    low, high = per_tablet_range(
        [
            (Decimal("65.40"), 60),  # 1.09
            (Decimal("38.70"), 30),  # 1.29
            (Decimal("219.60"), 360),  # 0.61
        ]
    )
    assert_exact(low, "0.61")
    assert_exact(high, "1.29")


def test_per_tablet_range_of_one_pack_is_that_packs_rate_twice():
    low, high = per_tablet_range([(Decimal("10.00"), 3)])
    assert_exact(low, "3.33")
    assert_exact(high, "3.33")


def test_per_tablet_range_accepts_any_iterable():
    packs = ((Decimal(p), t) for p, t in [("0.05", 2), ("9.00", 3)])
    low, high = per_tablet_range(packs)
    assert_exact(low, "0.03")
    assert_exact(high, "3.00")


def test_per_tablet_range_of_no_packs_is_none():
    assert per_tablet_range([]) is None


def test_per_tablet_range_refuses_a_pack_without_tablets():
    with pytest.raises(ValueError):
        per_tablet_range([(Decimal("10.00"), 30), (Decimal("1.00"), 0)])


# per_tablet_inversions


def test_per_tablet_inversions_finds_a_bigger_pack_dearer_per_tablet():
    packs = [
        (30, Decimal("30.00")),  # 1.000 per tablet
        (60, Decimal("61.00")),  # 1.017: dearer than the 30-pack
        (90, Decimal("85.00")),  # 0.944: cheaper than both
    ]
    assert per_tablet_inversions(packs=packs) == [(30, 60)]


def test_per_tablet_inversions_is_empty_when_bigger_packs_are_cheaper():
    packs = [(30, Decimal("38.70")), (60, Decimal("65.40")), (360, Decimal("219.60"))]
    assert per_tablet_inversions(packs=packs) == []


def test_per_tablet_inversions_ignores_packs_at_the_same_rate():
    packs = [(30, Decimal("30.00")), (60, Decimal("60.00"))]
    assert per_tablet_inversions(packs=packs) == []


def test_per_tablet_inversions_compares_exact_rates_not_rounded_cents():
    # 10.00 / 30 = 0.3333 and 20.01 / 60 = 0.3335 both display as $0.33, but the
    # 60-pack is dearer per tablet.
    packs = [(30, Decimal("10.00")), (60, Decimal("20.01"))]
    assert per_tablet_price(pack_price=Decimal("10.00"), tablets=30) == (
        per_tablet_price(pack_price=Decimal("20.01"), tablets=60)
    )
    assert per_tablet_inversions(packs=packs) == [(30, 60)]


def test_per_tablet_inversions_lists_every_pair_sorted_whatever_the_input_order():
    packs = [
        (90, Decimal("100.00")),  # 1.111
        (30, Decimal("30.00")),  # 1.000
        (60, Decimal("63.00")),  # 1.050
    ]
    assert per_tablet_inversions(packs=packs) == [(30, 60), (30, 90), (60, 90)]


def test_per_tablet_inversions_of_no_packs_or_one_pack_is_empty():
    assert per_tablet_inversions(packs=[]) == []
    assert per_tablet_inversions(packs=[(30, Decimal("1.00"))]) == []


def test_per_tablet_inversions_does_not_pair_a_pack_size_with_itself():
    packs = [(30, Decimal("10.00")), (30, Decimal("12.00"))]
    assert per_tablet_inversions(packs=packs) == []
