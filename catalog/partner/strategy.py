from oscar.apps.partner import strategy
from oscar.apps.partner.availability import Unavailable

from catalog import selectors


class Default(strategy.Default):
    """Oscar's default (first stock record, stock required, no tax) plus the
    pharmacy's rule: a pack is for sale only while it, its drug and its strength
    are on sale in our market."""

    _withdrawn: set | None = None

    def availability_policy(self, product, stockrecord):
        if not self._is_on_sale(product):
            return Unavailable()
        return super().availability_policy(product, stockrecord)

    def _is_on_sale(self, product) -> bool:
        if not product.is_public:
            return False
        if not product.is_child:
            return True
        if not product.parent.is_public:
            return False
        if self._withdrawn is None:
            # One query per request, however many lines the basket holds.
            self._withdrawn = selectors.withdrawn_strengths()
        facts = selectors.variant_facts(product=product)
        return facts is None or (product.parent_id, facts[0]) not in self._withdrawn


class Selector(strategy.Selector):
    def strategy(self, request=None, user=None, **kwargs):
        return Default(request)
