from oscar.apps.partner.abstract_models import AbstractStockRecord
from simple_history import register

from pharmacy.core.cache import VersionedQuerySet, updates_left_to_post_save

# Fields behind StockRecord.shown_facts.
_SHOWN_FIELDS = {
    "product_id",
    "price",
    "price_currency",
    "num_in_stock",
    "num_allocated",
}


class StockRecord(AbstractStockRecord):
    # Bulk writes (a price list update, bulk_update) bump the catalogue
    # version, as a save does through catalog/receivers.py.
    objects = VersionedQuerySet.as_manager()

    @classmethod
    def from_db(cls, db, field_names, values):
        record = super().from_db(db, field_names, values)
        if _SHOWN_FIELDS.issubset(field_names):
            record.remember_shown_facts()
        return record

    def post_save_signal(self):
        # Oscar sends this after allocating, consuming or releasing stock for
        # an order. Those are sales, recorded by their orders; the price
        # history keeps the edits staff make (and costs no insert per line).
        self.skip_history_when_saving = True
        try:
            super().post_save_signal()
        finally:
            del self.skip_history_when_saving

    # Oscar moves stock with QuerySet.update() and then sends post_save; the
    # post_save receiver bumps the catalogue version only if what the pages
    # show of this record changed (catalog/receivers.py).

    def allocate(self, quantity):
        with updates_left_to_post_save():
            super().allocate(quantity)

    allocate.alters_data = True

    def consume_allocation(self, quantity):
        with updates_left_to_post_save():
            super().consume_allocation(quantity)

    consume_allocation.alters_data = True

    def cancel_allocation(self, quantity):
        with updates_left_to_post_save():
            super().cancel_allocation(quantity)

    cancel_allocation.alters_data = True

    def shown_facts(self) -> tuple:
        return (
            self.product_id,
            self.price,
            self.price_currency,
            (self.net_stock_level or 0) > 0,
        )

    def remember_shown_facts(self) -> None:
        self._shown_facts_seen = self.shown_facts()

    def shown_facts_changed(self) -> bool:
        """Whether what the product and catalogue pages show of this record
        (its price, whether the pack is in stock) differs from when it was
        loaded or last saved. Selling one pack of many changes neither."""
        seen = getattr(self, "_shown_facts_seen", None)
        return seen is None or seen != self.shown_facts()


from oscar.apps.partner.models import *  # noqa: E402, F403

# The pack price lives on StockRecord, so its history is the price history:
# who changed it, when, and from what to what.
register(
    StockRecord,
    app="catalog.partner",
    excluded_fields=["date_updated"],
    verbose_name="price change",
    verbose_name_plural="price changes",
)
