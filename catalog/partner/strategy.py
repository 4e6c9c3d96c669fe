"""The purchase strategy: the one place that decides what a pack costs and
whether it can be bought.

``pack_status`` is the rule; ``pack_price`` is the price. The product page and
its price table (catalog/selectors.py), the basket, the checkout and the
admin's price list all ask these, through ``Default`` or directly with the
facts they loaded in bulk; none of them decides stock or availability itself.
"""

import enum
from collections.abc import Iterable
from decimal import Decimal

from oscar.apps.partner import strategy
from oscar.apps.partner.availability import StockRequired, Unavailable
from oscar.apps.partner.prices import FixedPrice
from oscar.apps.partner.prices import Unavailable as NoPrice

from catalog import markets, packs, pricing
from catalog.models import Strength
from pharmacy.core import cache as catalogue_cache

ZERO_TAX = Decimal("0.00")


class PackStatus(enum.StrEnum):
    ON_SALE = "on_sale"
    OUT_OF_STOCK = "out_of_stock"
    STRENGTH_OFF = "strength_off"
    NO_PRICE = "no_price"
    HIDDEN = "hidden"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def can_buy(self) -> bool:
        return self is PackStatus.ON_SALE

    @property
    def shown(self) -> bool:
        """Whether the product page lists the pack (perhaps as out of stock)."""
        return self in (PackStatus.ON_SALE, PackStatus.OUT_OF_STOCK)


_LABELS = {
    PackStatus.ON_SALE: "On sale",
    PackStatus.OUT_OF_STOCK: "Out of stock",
    PackStatus.STRENGTH_OFF: "Strength switched off",
    PackStatus.NO_PRICE: "No price",
    PackStatus.HIDDEN: "Hidden",
}


def pack_price(*, price: Decimal | None) -> Decimal | None:
    """What a pack costs: its stock record's price, in whole cents."""
    return None if price is None else pricing.to_cents(Decimal(price))


def net_stock(*, num_in_stock: int | None, num_allocated: int | None) -> int:
    """Packs that can still be sold: in stock less those held for orders."""
    return (num_in_stock or 0) - (num_allocated or 0)


def pack_status(
    *,
    pack_public: bool,
    drug_public: bool,
    strength_on_sale: bool,
    price: Decimal | None,
    net_stock: int | None,
) -> PackStatus:
    """Whether a pack can be bought, and if not, why. The only such rule."""
    if not (pack_public and drug_public):
        return PackStatus.HIDDEN
    if not strength_on_sale:
        return PackStatus.STRENGTH_OFF
    if price is None:
        return PackStatus.NO_PRICE
    if (net_stock or 0) <= 0:
        return PackStatus.OUT_OF_STOCK
    return PackStatus.ON_SALE


class NotSoldInMarket(Unavailable):
    """A strength not approved in the store's market; says why wherever Oscar
    shows availability (basket, checkout, reorder)."""

    code = "not-sold-in-market"

    def __init__(self, reason: str) -> None:
        self.message = (
            f"{markets.not_sold_label(market=markets.current_market())}: {reason}"
        )

    def is_purchase_permitted(self, quantity):
        return False, self.message


class Default(strategy.Default):
    """Oscar's default (first stock record, stock required, no tax) with the
    pharmacy's rule, ``pack_status``, deciding what may be bought. A pack's
    strength (switched on, approved in our market) is read once per drug for
    the life of the strategy, which Oscar makes for each request: a shopper's
    request reads it through the catalogue cache (``from_cache``), kept exact
    by the catalogue version; placing an order, whose strategy is made in its
    transaction, and the admin read the table as it is then."""

    def __init__(self, request=None, *, from_cache: bool = False):
        super().__init__(request)
        self.from_cache = from_cache
        # The drug's product id -> its strengths by mg.
        self._drug_strengths: dict[int, dict[Decimal, Strength]] = {}

    def strengths_read(self, *, drug_product_ids: Iterable[int]) -> "Default":
        """Read these drugs' strengths now, in one query, for a page that
        decides for many drugs' packs at once (the admin's price list)."""
        ids = set(drug_product_ids) - self._drug_strengths.keys()
        if not ids:
            return self
        if self.from_cache and len(ids) == 1:
            [drug_product_id] = ids
            self._drug_strengths[drug_product_id] = catalogue_cache.versioned(
                key=f"drug-strengths:{drug_product_id}",
                compute=lambda: _strengths_by_drug([drug_product_id])[drug_product_id],
            )
            return self
        self._drug_strengths.update(_strengths_by_drug(ids))
        return self

    def fetch_for_line(self, line, stockrecord=None):
        # The line's stock record was loaded with it; Oscar would look it up
        # again for every line on every checkout step.
        return self.fetch_for_product(line.product, stockrecord or line.stockrecord)

    def status(self, product, stockrecord) -> PackStatus:
        """This pack's status under ``pack_status``."""
        parent = product.parent if product.is_child else product
        return pack_status(
            pack_public=product.is_public,
            drug_public=parent.is_public,
            strength_on_sale=self.strength_on_sale(product),
            price=None if stockrecord is None else stockrecord.price,
            net_stock=None
            if stockrecord is None
            else net_stock(
                num_in_stock=stockrecord.num_in_stock,
                num_allocated=stockrecord.num_allocated,
            ),
        )

    def availability_policy(self, product, stockrecord):
        status = self.status(product, stockrecord)
        if status.shown:
            # Oscar's stock rule caps the quantity at what is in stock and
            # words the refusal when nothing is.
            return StockRequired(
                net_stock(
                    num_in_stock=stockrecord.num_in_stock,
                    num_allocated=stockrecord.num_allocated,
                )
            )
        refusal = self.market_refusal(product)
        if status is PackStatus.STRENGTH_OFF and refusal:
            return NotSoldInMarket(refusal)
        return Unavailable()

    def pricing_policy(self, product, stockrecord):
        price = None if stockrecord is None else pack_price(price=stockrecord.price)
        if price is None:
            return NoPrice()
        return FixedPrice(
            currency=stockrecord.price_currency, excl_tax=price, tax=ZERO_TAX
        )

    def strength_on_sale(self, product) -> bool:
        """Switched on by staff, and approved in the store's market. A pack
        whose strength the drug does not list is not held back."""
        strength = self._strength(product)
        return strength is None or (
            strength.is_available and self.market_refusal(product) is None
        )

    def market_refusal(self, product) -> str | None:
        """Why the pack's strength is not sold in the store's market, if it is
        not. The decision is markets.strength_sale_refusal's; this looks it up."""
        strength = self._strength(product)
        if strength is None:
            return None
        return markets.strength_sale_refusal(
            strength=strength, market=markets.current_market()
        )

    def _strength(self, product) -> Strength | None:
        """The drug's Strength of this pack; None for a parent, a bare product
        or a strength the drug does not list."""
        facts = packs.variant_facts(product=product) if product.is_child else None
        if facts is None:
            return None
        self.strengths_read(drug_product_ids=[product.parent_id])
        return self._drug_strengths[product.parent_id].get(facts[0])


def _strengths_by_drug(ids) -> dict[int, dict[Decimal, Strength]]:
    """These drugs' strengths by mg, keyed by the drug's product id."""
    found: dict[int, dict[Decimal, Strength]] = {pk: {} for pk in ids}
    for strength in Strength.objects.filter(drug__product_id__in=ids).select_related(
        "drug"
    ):
        found[strength.drug.product_id][packs.canonical_mg(strength.mg)] = strength
    return found


class Selector(strategy.Selector):
    def strategy(self, request=None, user=None, **kwargs):
        # Oscar's basket middleware asks with the shopper's request.
        return Default(request, from_cache=request is not None)
