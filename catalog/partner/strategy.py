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

from catalog import markets, pricing, selectors
from pharmacy.core import cache as catalog_cache

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
    pharmacy's rule, ``pack_status``, deciding what may be bought."""

    _withdrawn: set | None = None
    _market_refusals: dict | None = None
    # (parent product id, mg) -> (withdrawn, market refusal), as read just now
    # (see read_strength); replaced on write, never changed in place.
    _strengths_read: dict = {}

    def read_from_database(
        self, *, drug_product_ids: Iterable[int] | None = None
    ) -> "Default":
        """For placing an order: the final say reads the strengths from the
        database, not from the cache; only those of these drugs (the basket's)
        when given, so an order costs the same however large the catalogue."""
        self._withdrawn, self._market_refusals = markets.strength_states(
            market=markets.current_market(), drug_product_ids=drug_product_ids
        )
        return self

    def read_strength(
        self, *, product, withdrawn: bool, refusal: str | None
    ) -> "Default":
        """For adding a pack to a basket: its strength's facts, read from the
        database with the pack, decide for it instead of the cached ones."""
        key = _strength_key(product)
        if key is not None:
            self._strengths_read = {**self._strengths_read, key: (withdrawn, refusal)}
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

    def withdrawn(self) -> set:
        """(parent product id, mg) of every strength switched off."""
        self._strength_states_load()
        return self._withdrawn

    def strength_on_sale(self, product) -> bool:
        """Switched on by staff, and approved in the store's market."""
        key = _strength_key(product)
        if key in self._strengths_read:
            withdrawn, refusal = self._strengths_read[key]
            return not withdrawn and refusal is None
        return key is None or (
            key not in self.withdrawn() and key not in self.market_refusals()
        )

    def market_refusal(self, product) -> str | None:
        """Why the pack's strength is not sold in the store's market, if it is
        not. The decision is markets.strength_sale_refusal's; this looks it up."""
        key = _strength_key(product)
        if key in self._strengths_read:
            return self._strengths_read[key][1]
        return None if key is None else self.market_refusals().get(key)

    def market_refusals(self) -> dict:
        """(parent product id, mg) -> reason, for strengths not sold in our market."""
        self._strength_states_load()
        return self._market_refusals

    def _strength_states_load(self) -> None:
        if self._withdrawn is None or self._market_refusals is None:
            # Once per request, and shared through the cache: a strength's
            # change bumps the listing version, so it is seen at once.
            market = markets.current_market()
            self._withdrawn, self._market_refusals = catalog_cache.cached(
                name=f"strength-states:{market}",
                scopes=[catalog_cache.LISTING],
                compute=lambda: markets.strength_states(market=market),
                every_request=True,
            )


def _strength_key(product) -> tuple | None:
    """(parent product id, mg) of a pack; None for a parent or a bare product."""
    facts = selectors.variant_facts(product=product) if product.is_child else None
    return None if facts is None else (product.parent_id, facts[0])


class Selector(strategy.Selector):
    def strategy(self, request=None, user=None, **kwargs):
        return Default(request)
