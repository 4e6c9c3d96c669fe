from oscar.apps.partner.models import *  # noqa: F403
from oscar.apps.partner.models import StockRecord
from simple_history import register

# The pack price lives on StockRecord, so its history is the price history:
# who changed it, when, and from what to what.
register(
    StockRecord,
    app="catalog.partner",
    excluded_fields=["date_updated"],
    verbose_name="price change",
    verbose_name_plural="price changes",
)
