from django.db import transaction
from oscar.apps.basket.abstract_models import AbstractBasket
from oscar.apps.catalogue.models import Option
from oscar.apps.voucher.models import Voucher

from catalog import selectors
from checkout.basket import packs
from pharmacy.core import cache as catalog_cache


class Basket(AbstractBasket):
    # Placing an order sets this: its lines are read in full from the
    # database, never through the catalogue cache.
    lines_read_fresh = False

    def all_lines(self):
        # Everything the checkout reads from a line (stock record, pack facts,
        # drug, product class) comes with it, so a checkout step costs the same
        # for one line or twenty: the lines and their packs in one query, the
        # drugs from the catalogue cache (checkout/basket/packs.py).
        if self.id is None:
            if self._lines is None:
                # Evaluated once (it asks nothing), not recompiled per read.
                self._lines = self.lines.model.objects.none()
                list(self._lines)
            return self._lines
        if self._lines is None:
            if self.lines_read_fresh:
                read = reads.basket_lines_fresh
            else:
                read = reads.basket_lines
            # The rows come from SQL compiled once (basket/reads.py); the
            # queryset around them is what Oscar's basket formset needs.
            rows = read(basket=self)
            lines = self.lines.model.objects.all()
            # Applied only if the queryset is read again, as Django's own
            # related managers do: building the filter costs more than
            # the compiled read.
            lines._defer_next_filter = True
            lines = lines.filter(basket_id=self.pk)
            lines._result_cache, lines._prefetch_done = rows, True
            for line in rows:
                _pack_facts_attach(line, fresh=self.lines_read_fresh)
            # After the packs: a request's first catalogue-cache read brings
            # the every-request answers (whether options exist) with it.
            reads.line_attributes_attach(
                lines=rows, with_attributes=catalog_cache.rows_exist(model=Option)
            )
            self._lines = lines
        return self._lines

    def add_product(self, product, quantity=1, options=None):
        if self.id is not None:
            return super().add_product(product, quantity, options)
        # A new basket has no line to add to: Oscar's lookup is skipped, and
        # the basket and its first line are saved in one transaction.
        options = options or []
        info = self.get_stock_info(product, options)
        if not info.price.exists or info.stockrecord is None:
            raise ValueError(f"Strategy found no price or stock record for {product}")
        line = self.lines.model(
            basket=self,
            line_reference=self._create_line_reference(
                product, info.stockrecord, options
            ),
            product=product,
            stockrecord=info.stockrecord,
            quantity=max(0, quantity),
            price_excl_tax=info.price.excl_tax,
            price_currency=info.price.currency,
            tax_code=info.price.tax_code,
        )
        if info.price.is_tax_known:
            line.price_incl_tax = info.price.incl_tax
        with transaction.atomic():
            self.save()
            line.save()
            for option in options:
                line.attributes.create(option=option["option"], value=option["value"])
        self.reset_offer_applications()
        return line, True

    def vouchers_known_absent(self) -> "Basket":
        """While the shop has no vouchers at all, this basket has none either:
        say so, and Oscar's order placement skips its two voucher queries.
        Adding a voucher clears this, as it clears any prefetched vouchers."""
        if not catalog_cache.rows_exist(model=Voucher):
            self._prefetched_objects_cache = {
                **getattr(self, "_prefetched_objects_cache", {}),
                "vouchers": Voucher.objects.none(),
            }
        return self

    @property
    def num_lines(self) -> int:
        # Counts the loaded lines instead of asking the database again.
        return len(self.all_lines())


from oscar.apps.basket.models import *  # noqa: E402, F403

# Reads the models above, so imported once they are registered.
from checkout.basket import reads  # noqa: E402


def _pack_facts_attach(line, *, fresh: bool) -> None:
    product = line.product
    if fresh:
        strength, tablets = line.pack_strength, line.pack_tablets
    elif product.parent_id is None:
        return  # a product that is not a pack: its facts are looked up as asked
    else:
        drug = packs.drug_packs(parent_id=product.parent_id)
        product.parent = drug.parent
        strength, tablets = drug.values.get(product.pk, (None, None))
    selectors.pack_facts_remember(product=product, strength=strength, tablets=tablets)
