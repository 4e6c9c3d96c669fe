"""How a pack's price is made. Pure Decimal arithmetic, nothing stored.

The pack price is the one stored price (the stock record the basket charges);
the breakdown never changes it. What the pharmacy paid and the fee are
rounded once, to cents; the margin is what is left of the pack price after
them, so it is exact, and may be negative (a pack sold below cost plus fee
is shown so, never hidden). Delivery is the flat charge an order of that one
pack pays. The parts therefore add up to the basket's total to the cent.
"""

from dataclasses import dataclass
from decimal import Decimal

from catalog.pricing import CENT, to_cents


@dataclass(frozen=True)
class PriceBreakdown:
    acquisition_cost: Decimal
    pharmacy_fee: Decimal
    margin: Decimal
    pack_price: Decimal
    delivery: Decimal

    @property
    def total(self) -> Decimal:
        """What an order of this one pack is charged: pack and delivery."""
        return self.pack_price + self.delivery

    @property
    def below_cost(self) -> bool:
        """Sold for less than the pharmacy pays plus its fee."""
        return self.margin < 0


def price_breakdown(
    *,
    pack_price: Decimal,
    acquisition_cost: Decimal,
    pharmacy_fee: Decimal,
    delivery: Decimal,
) -> PriceBreakdown:
    """Split a stored pack price (whole cents) into what we pay, the fee and
    our margin, and add delivery."""
    if pack_price != pack_price.quantize(CENT) or delivery != delivery.quantize(CENT):
        raise ValueError("A charged price is whole cents")
    if acquisition_cost < 0 or pharmacy_fee < 0:
        raise ValueError("A cost or fee is never negative")
    cost = to_cents(acquisition_cost)
    fee = to_cents(pharmacy_fee)
    return PriceBreakdown(
        acquisition_cost=cost,
        pharmacy_fee=fee,
        margin=pack_price - cost - fee,
        pack_price=pack_price,
        delivery=delivery,
    )
