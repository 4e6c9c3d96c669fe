from oscar.apps.basket.abstract_models import AbstractBasket

from catalog import packs


class Basket(AbstractBasket):
    # Oscar's cached lines, and the same lines with their packs' facts (see
    # all_lines): rebuilt whenever Oscar starts its lines afresh.
    _lines_with_packs = (None, None)

    def all_lines(self):
        """Oscar's lines, each loaded with what the checkout asks of its pack:
        the drug (prescription status), the product class (shipping), and the
        pack's strength and size (the purchase strategy), so that a checkout
        step costs the same for one line or twenty."""
        lines = super().all_lines()
        if self.id is None:
            return lines
        oscar_lines, with_packs = self._lines_with_packs
        if oscar_lines is not lines:
            # Oscar caches its queryset until the lines change (an addition,
            # a merge, a flush); a new one means the lines are read again.
            with_packs = lines.select_related(
                "product__parent__product_class", "product__parent__drug"
            ).prefetch_related(packs.pack_facts_prefetch("product"))
            self._lines_with_packs = (lines, with_packs)
        return with_packs

    @property
    def num_lines(self) -> int:
        # The lines are loaded for every page that asks: count those.
        return len(self.all_lines())


from oscar.apps.basket.models import *  # noqa: E402, F403
