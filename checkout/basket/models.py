from django.db.models import Prefetch
from oscar.apps.basket.abstract_models import AbstractBasket
from oscar.core.loading import get_model

from catalog.models import Option
from pharmacy.core import cache as catalogue_cache


class Basket(AbstractBasket):
    # Oscar's cached lines, and the same lines with their packs' drugs and
    # classes (see all_lines): rebuilt whenever Oscar starts its lines afresh.
    _lines_with_packs = (None, None)

    def all_lines(self):
        """Oscar's lines, each loaded with what the checkout asks of its pack:
        the drug (prescription status) and the product class (shipping); the
        pack's strength and size come from the catalogue cache
        (catalog/packs.py). A checkout step costs the same for one line or
        twenty."""
        lines = super().all_lines()
        if self.id is None:
            return lines
        oscar_lines, with_packs = self._lines_with_packs
        if oscar_lines is not lines:
            # Oscar caches its queryset until the lines change (an addition,
            # a merge, a flush); a new one means the lines are read again.
            with_packs = lines.select_related(
                "product__parent__product_class", "product__parent__drug"
            ).prefetch_related(None)
            # No basket or checkout page shows a pack's image. A line's option
            # values exist only where the shop has options: without, they are
            # known to be none, and read from nothing.
            attributes = get_model("basket", "LineAttribute").objects.all()
            if not catalogue_cache.versioned(
                key="options-exist", compute=_options_exist
            ):
                attributes = attributes.none()
            with_packs = with_packs.prefetch_related(
                Prefetch("attributes", queryset=attributes)
            )
            self._lines_with_packs = (lines, with_packs)
        return with_packs

    @property
    def num_lines(self) -> int:
        # The lines are loaded for every page that asks: count those.
        return len(self.all_lines())


def _options_exist() -> bool:
    return Option.objects.exists()


from oscar.apps.basket.models import *  # noqa: E402, F403
