from django.db.models import Prefetch
from oscar.apps.basket.abstract_models import AbstractBasket
from oscar.apps.catalogue.models import Option, ProductAttributeValue
from oscar.core.loading import get_model

from catalog import cache as catalog_cache


class Basket(AbstractBasket):
    def all_lines(self):
        # Everything the checkout reads from a line (stock record, pack facts,
        # drug, product class) comes in with it, so a checkout step costs the
        # same number of queries for one line or twenty.
        if self.id is None:
            return self.lines.model.objects.none()
        if self._lines is None:
            self._lines = (
                self.lines.select_related(
                    "stockrecord",
                    "product__product_class",
                    "product__drug",
                    "product__parent__product_class",
                    "product__parent__drug",
                )
                .prefetch_related(
                    # No options in the shop means no line attributes: an
                    # empty prefetch that asks the database nothing.
                    "attributes"
                    if catalog_cache.rows_exist(model=Option)
                    else Prefetch(
                        "attributes",
                        queryset=get_model("basket", "LineAttribute").objects.none(),
                    ),
                    Prefetch(
                        "product__attribute_values",
                        queryset=ProductAttributeValue.objects.select_related(
                            "attribute"
                        ),
                    ),
                )
                .order_by(self._meta.pk.name)
            )
        return self._lines

    @property
    def num_lines(self) -> int:
        # Counts the loaded lines instead of asking the database again.
        return len(self.all_lines())


from oscar.apps.basket.models import *  # noqa: E402, F403
