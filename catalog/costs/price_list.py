"""The public price list: every pack on sale, with the price and price per
tablet the product pages show (read through the same price tables, so the two
cannot disagree) and the day its price last changed. Served as a page, CSV
and JSON (catalog/costs/views.py)."""

import csv
import io
from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal

from django.utils import timezone

from catalog import selectors
from catalog.models import Product
from catalog.partner.models import StockRecord
from pharmacy.core.cache import versioned

# Spreadsheet programs run a cell that starts with one of these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class PriceListRow:
    drug: str
    strength_mg: Decimal
    tablets: int
    pack_price: Decimal
    per_tablet: Decimal
    currency: str
    in_stock: bool
    price_changed: date | None
    product_url: str


def price_list() -> list[PriceListRow]:
    """Every pack on sale, by drug, strength and pack size. Kept with the
    catalogue version, which every price change bumps, so a change shows at
    once."""
    return versioned(key="price-list", compute=_price_list_read)


def _price_list_read() -> list[PriceListRow]:
    drugs = list(Product.objects.browsable().order_by("title"))
    tables = selectors.price_tables_for(products=drugs)
    variants = [
        (drug, variant)
        for drug in drugs
        for variant in tables[drug.pk].variants
        if variant.strength_available
    ]
    changed = price_change_dates(product_ids=[v.product_id for _, v in variants])
    return [
        PriceListRow(
            drug=drug.title,
            strength_mg=variant.strength_mg,
            tablets=variant.tablets,
            pack_price=variant.pack_price,
            per_tablet=variant.per_tablet,
            currency=variant.currency,
            in_stock=variant.is_available,
            price_changed=changed.get(variant.product_id),
            product_url=drug.get_absolute_url(),
        )
        for drug, variant in variants
    ]


def price_change_dates(*, product_ids: list[int]) -> dict[int, date]:
    """The day each pack's price was last set to what it is now, from the price
    history (a stock edit that left the price alone is not a change). One
    query."""
    history = (
        StockRecord.history.model.objects.filter(product_id__in=product_ids)
        .order_by("id", "history_date")
        .values_list("id", "product_id", "price", "history_date")
    )
    last_price: dict[int, Decimal | None] = {}
    changed: dict[int, date] = {}
    for record_id, product_id, price, when in history:
        if record_id not in last_price or last_price[record_id] != price:
            changed[product_id] = timezone.localdate(when)
        last_price[record_id] = price
    return changed


COLUMNS = (
    "drug",
    "strength_mg",
    "tablets",
    "pack_price",
    "per_tablet",
    "currency",
    "in_stock",
    "price_changed",
    "product_url",
)


def _cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def price_list_csv(*, rows: list[PriceListRow], base_url: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for row in rows:
        values = asdict(row)
        values["product_url"] = base_url + row.product_url
        values["in_stock"] = "yes" if row.in_stock else "no"
        writer.writerow([_cell(values[c]) for c in COLUMNS])
    return out.getvalue()


def price_list_json(*, rows: list[PriceListRow], base_url: str, pharmacy: str) -> dict:
    """Money and strengths as strings, so no reader turns them into floats."""
    return {
        "pharmacy": pharmacy,
        "generated_at": timezone.now().isoformat(timespec="seconds"),
        "packs": [
            {
                "drug": row.drug,
                "strength_mg": str(row.strength_mg),
                "tablets": row.tablets,
                "pack_price": str(row.pack_price),
                "per_tablet": str(row.per_tablet),
                "currency": row.currency,
                "in_stock": row.in_stock,
                "price_changed": (
                    row.price_changed.isoformat() if row.price_changed else None
                ),
                "product_url": base_url + row.product_url,
            }
            for row in rows
        ],
    }
