"""Price arithmetic. Pure Decimal functions; nothing here touches the database.

The only stored price is a pack's price (the StockRecord price the basket charges).
Everything else is derived from it here. Prices are the shelf price in the
store's currency: tax is not charged on prescription medicines in our market,
and shipping is never included.
"""

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
WHOLE = Decimal("1")


def to_cents(amount: Decimal) -> Decimal:
    """Round a money amount to cents, half up. The one rounding step for display."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def per_tablet_price(*, pack_price: Decimal, tablets: int) -> Decimal:
    """Pack price divided by the tablets in the pack, rounded to cents.

    Includes nothing but the pack price: no shipping, no tax.
    """
    if tablets <= 0:
        raise ValueError("A pack holds at least one tablet")
    return to_cents(pack_price / tablets)


def pack_saving(
    *, pack_price: Decimal, tablets: int, base_pack_price: Decimal, base_tablets: int
) -> tuple[Decimal, Decimal]:
    """What this pack saves against buying the same tablets at the base pack's rate.

    The base is the smallest pack of the same strength. Returns (dollars, percent):
    dollars rounded to cents, percent to a whole number. Both are computed from the
    unrounded rates so that rounding happens once. A pack dearer per tablet than
    the base gives a negative saving, which callers must not advertise.
    """
    if tablets <= 0 or base_tablets <= 0:
        raise ValueError("A pack holds at least one tablet")
    same_tablets_at_base_rate = base_pack_price * tablets / base_tablets
    saving = same_tablets_at_base_rate - pack_price
    if same_tablets_at_base_rate == 0:
        return to_cents(saving), Decimal("0")
    percent = (saving / same_tablets_at_base_rate * 100).quantize(
        WHOLE, rounding=ROUND_HALF_UP
    )
    return to_cents(saving), percent


def per_tablet_range(
    packs: Iterable[tuple[Decimal, int]],
) -> tuple[Decimal, Decimal] | None:
    """Lowest and highest per-tablet price over (pack_price, tablets) pairs.

    Returns None when there are no packs.
    """
    rates = [per_tablet_price(pack_price=p, tablets=t) for p, t in packs]
    if not rates:
        return None
    return min(rates), max(rates)


def per_tablet_inversions(
    *, packs: Iterable[tuple[int, Decimal]]
) -> list[tuple[int, int]]:
    """Pairs (smaller, larger) of pack sizes where the larger pack costs more per
    tablet than the smaller one. Packs are (tablets, pack_price) of one strength.

    Compared exactly (cross-multiplied), so display rounding cannot hide or
    invent an inversion.
    """
    ordered = sorted(packs)
    return [
        (small_tablets, large_tablets)
        for i, (small_tablets, small_price) in enumerate(ordered)
        for large_tablets, large_price in ordered[i + 1 :]
        if large_tablets > small_tablets
        and large_price * small_tablets > small_price * large_tablets
    ]


# A change by more than this factor either way is more likely a typo (a slipped
# decimal point) than a decision, so staff confirm it.
CONFIRM_CHANGE_FACTOR = Decimal(5)


def price_above_limit(*, price: Decimal, limit: Decimal) -> bool:
    return price > limit


def price_change_needs_confirming(*, old: Decimal | None, new: Decimal) -> bool:
    """Whether a new pack price is more than 5 times the old one, or below a fifth."""
    if old is None or old <= 0:
        return False
    return new > old * CONFIRM_CHANGE_FACTOR or new * CONFIRM_CHANGE_FACTOR < old
