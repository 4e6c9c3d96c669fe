"""What a basket line needs of its pack's drug, shared through the catalogue
cache: the drug's product (with its class and drug facts) and every pack's
strength and size. A checkout step then loads its lines in one short query
instead of a seven-table join, which PostgreSQL spent milliseconds planning.

Placing an order does not use this: it reads the lines in full from the
database (Basket.lines_read_fresh)."""

from dataclasses import dataclass

from catalog import selectors
from catalog.models import Product, ProductAttributeValue
from pharmacy.core import cache as catalog_cache


@dataclass(frozen=True)
class DrugPacks:
    parent: Product
    # pack product id -> (strength in mg, tablets) as stored; either may be
    # missing. selectors.pack_facts_remember turns them into the pack's facts.
    values: dict[int, tuple[float | None, int | None]]


def drug_packs(*, parent_id: int) -> DrugPacks:
    return catalog_cache.cached(
        name=f"basket-drug:{parent_id}",
        scopes=[catalog_cache.product_scope(parent_id), catalog_cache.LISTING],
        compute=lambda: _drug_packs_load(parent_id=parent_id),
    )


def _drug_packs_load(*, parent_id: int) -> DrugPacks:
    parent = Product.objects.select_related("product_class", "drug").get(pk=parent_id)
    values: dict[int, tuple[float | None, int | None]] = {}
    for product_id, code, as_float, as_int in ProductAttributeValue.objects.filter(
        product__parent_id=parent_id,
        attribute__code__in=[selectors.STRENGTH_ATTR, selectors.TABLETS_ATTR],
    ).values_list("product_id", "attribute__code", "value_float", "value_integer"):
        strength, tablets = values.get(product_id, (None, None))
        if code == selectors.STRENGTH_ATTR:
            strength = as_float
        else:
            tablets = as_int
        values[product_id] = (strength, tablets)
    return DrugPacks(parent=parent, values=values)
