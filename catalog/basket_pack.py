"""The pack a shopper adds to a basket, read from the database in one query.

Adding to a basket is the busiest write in the shop. The ORM compiled this
query afresh on every add, at a cost greater than the rest of the request, so
the SQL is written here once. It returns what the ORM would: model instances,
their values converted by the database backend as the ORM converts them.
"""

import functools
from dataclasses import dataclass
from decimal import Decimal

from django.db import connections, router

from catalog import markets, selectors
from catalog.models import Product
from catalog.partner.models import StockRecord
from pharmacy.core import compiled


@dataclass(frozen=True)
class PackToAdd:
    """A pack as the database has it now, with what adding it to a basket
    reads: the pack (its parent, pack facts, options facts and first stock
    record loaded with it) and its strength's facts for the purchase strategy."""

    pack: Product
    stockrecord: StockRecord
    strength_withdrawn: bool
    market_refusal: str | None
    # Whether the shop has any offer, whose messages Oscar adds to an addition.
    shop_has_offers: bool


def _columns(alias: str, model) -> str:
    return ", ".join(f'{alias}."{f.column}"' for f in model._meta.concrete_fields)


# The SQL is built from constants and model metadata only; every value the
# request brings is a bound parameter.


def _attribute(column: str) -> str:
    # A pack's value of one attribute, as selectors._pack_rows reads it for
    # the product page.
    return (
        f"(SELECT v.{column} FROM catalogue_productattributevalue v"  # noqa: S608
        " JOIN catalogue_productattribute a ON a.id = v.attribute_id"
        " WHERE v.product_id = pack.id AND a.code = %s LIMIT 1)"
    )


@functools.cache
def _sql() -> str:
    return f"""
        SELECT {_columns("record", StockRecord)}, {_columns("pack", Product)},
            {_columns("parent", Product)},
            strength.is_available, strength.approved_markets, drug.generic_name,
            EXISTS (SELECT 1 FROM catalogue_productclass_options o
                    WHERE o.productclass_id = parent.product_class_id),
            EXISTS (SELECT 1 FROM catalogue_product_product_options o
                    WHERE o.product_id = pack.id),
            EXISTS (SELECT 1 FROM offer_conditionaloffer)
        FROM partner_stockrecord record
        JOIN catalogue_product pack ON pack.id = record.product_id
        JOIN catalogue_product parent ON parent.id = pack.parent_id
        LEFT JOIN catalogue_drug drug ON drug.product_id = parent.id
        LEFT JOIN catalogue_strength strength
            ON strength.drug_id = drug.id AND strength.mg = %s
        WHERE parent.id = %s AND parent.parent_id IS NULL AND parent.is_public = %s
            AND pack.is_public = %s
            AND {_attribute("value_float")} = %s AND {_attribute("value_integer")} = %s
        ORDER BY record.id
        LIMIT 1
    """  # noqa: S608


# PostgreSQL parses and plans the query once per connection, as a prepared
# statement (pharmacy/compiled.py): that was most of the database's work for
# an add.
_PARAM_TYPES = "numeric, integer, boolean, boolean, text, float8, text, integer"


def _row(db: str, params: list) -> tuple | None:
    wrapper = connections[db]
    statement = compiled.execute_statement(
        connection=wrapper,
        name="catalog_pack_to_add",
        sql=_sql(),
        count=len(params),
        types=_PARAM_TYPES,
    )
    with wrapper.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchone()


def _instance(model, values, *, db: str):
    """A model instance from its columns, as the ORM's from_db gets them."""
    connection = connections[db]
    fields = model._meta.concrete_fields
    converted = []
    for field, value in zip(fields, values, strict=True):
        col = field.cached_col
        for convert in connection.ops.get_db_converters(col) + col.get_db_converters(
            connection
        ):
            value = convert(value, col, connection)
        converted.append(value)
    return model.from_db(db, [f.attname for f in fields], converted)


def pack_to_add(
    *, parent_id: int, strength_mg: Decimal, tablets: int
) -> PackToAdd | None:
    """The public pack of a browsable drug with this strength and pack size,
    from its first stock record, or None if there is no such drug, pack or
    stock record. One query."""
    if not compiled.pk_fits(model=Product, value=parent_id):
        return None
    db = router.db_for_read(StockRecord)
    row = _row(
        db,
        [
            strength_mg,
            parent_id,
            True,
            True,
            selectors.STRENGTH_ATTR,
            float(strength_mg),
            selectors.TABLETS_ATTR,
            tablets,
        ],
    )
    if row is None:
        return None
    record_end = len(StockRecord._meta.concrete_fields)
    pack_end = record_end + len(Product._meta.concrete_fields)
    parent_end = pack_end + len(Product._meta.concrete_fields)
    record = _instance(StockRecord, row[:record_end], db=db)
    pack = _instance(Product, row[record_end:pack_end], db=db)
    pack.parent = _instance(Product, row[pack_end:parent_end], db=db)
    record.product = pack
    available, approved_markets, generic_name, class_options, own_options, offers = row[
        parent_end:
    ]
    selectors.pack_facts_remember(
        product=pack, strength=float(strength_mg), tablets=tablets
    )
    # Oscar's form reads these rather than asking the database.
    pack.has_product_class_options = bool(class_options)
    pack.has_product_options = bool(own_options)
    # As a prefetch leaves it, so the strategy sells from this record.
    records = pack.stockrecords.get_queryset()
    records._result_cache, records._prefetch_done = [record], True
    pack._prefetched_objects_cache = {"stockrecords": records}
    return PackToAdd(
        pack=pack,
        stockrecord=record,
        strength_withdrawn=available is not None and not available,
        market_refusal=None
        if approved_markets is None
        else markets.sale_refusal(
            mg=strength_mg,
            approved_markets=approved_markets,
            generic_name=generic_name,
            market=markets.current_market(),
        ),
        shop_has_offers=bool(offers),
    )
