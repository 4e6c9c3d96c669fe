from django.db.models import F
from django.db.models.functions import Coalesce
from oscar.apps.partner.abstract_models import AbstractStockRecord
from simple_history import register

# Fields behind StockRecord.shown_facts.
_SHOWN_FIELDS = {
    "product_id",
    "price",
    "price_currency",
    "num_in_stock",
    "num_allocated",
}


class StockRecord(AbstractStockRecord):
    @classmethod
    def from_db(cls, db, field_names, values):
        record = super().from_db(db, field_names, values)
        if _SHOWN_FIELDS.issubset(field_names):
            record.remember_shown_facts()
            record.below_threshold_seen = record.is_below_threshold
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

    def allocate(self, quantity):
        """Oscar's, less its re-read of num_allocated when this record was
        read under the row lock (checkout/orders.py): nobody else can have
        changed it, so the new figure is the old one plus the quantity."""
        if not getattr(self, "locked_for_update", False):
            return super().allocate(quantity)
        if not self.can_track_allocations:
            return
        self.pre_save_signal()
        type(self).objects.filter(pk=self.pk).update(
            num_allocated=Coalesce(F("num_allocated"), 0) + quantity
        )
        self.num_allocated = (self.num_allocated or 0) + quantity
        self.post_save_signal()

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
