from oscar.apps.partner import strategy
from oscar.apps.partner.availability import Unavailable

from catalog import cache as catalog_cache
from catalog import markets, selectors


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
    """Oscar's default (first stock record, stock required, no tax) plus the
    pharmacy's rule: a pack is for sale only while it, its drug and its strength
    are on sale in our market."""

    _withdrawn: set | None = None
    _market_refusals: dict | None = None

    def read_from_database(self) -> "Default":
        """For placing an order: the final say reads the withdrawn strengths
        from the database, not from the cache."""
        self._withdrawn = selectors.withdrawn_strengths()
        self._market_refusals = markets.refused_strengths(
            market=markets.current_market()
        )
        return self

    def fetch_for_line(self, line, stockrecord=None):
        # The line's stock record was loaded with it; Oscar would look it up
        # again for every line on every checkout step.
        return self.fetch_for_product(line.product, stockrecord or line.stockrecord)

    def availability_policy(self, product, stockrecord):
        if not self._is_on_sale(product):
            return Unavailable()
        refusal = self._market_refusal(product)
        if refusal:
            return NotSoldInMarket(refusal)
        return super().availability_policy(product, stockrecord)

    def _market_refusal(self, product) -> str | None:
        # The decision is markets.strength_sale_refusal's; this only looks it up.
        facts = selectors.variant_facts(product=product) if product.is_child else None
        if facts is None:
            return None
        if self._market_refusals is None:
            market = markets.current_market()
            self._market_refusals = catalog_cache.cached(
                name=f"market-refusals:{market}",
                scopes=[catalog_cache.LISTING],
                compute=lambda: markets.refused_strengths(market=market),
            )
        return self._market_refusals.get((product.parent_id, facts[0]))

    def _is_on_sale(self, product) -> bool:
        if not product.is_public:
            return False
        if not product.is_child:
            return True
        if not product.parent.is_public:
            return False
        if self._withdrawn is None:
            # Once per request, and shared through the cache: a strength's
            # switch bumps the listing version, so a change is seen at once.
            self._withdrawn = catalog_cache.cached(
                name="withdrawn-strengths",
                scopes=[catalog_cache.LISTING],
                compute=selectors.withdrawn_strengths,
            )
        facts = selectors.variant_facts(product=product)
        return facts is None or (product.parent_id, facts[0]) not in self._withdrawn


class Selector(strategy.Selector):
    def strategy(self, request=None, user=None, **kwargs):
        return Default(request)
