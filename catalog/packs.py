"""A pack's facts: its strength and its size, which Oscar keeps as two of the
pack's attribute values. The purchase strategy and the catalogue's pages
both read them here."""

from decimal import Decimal

from django.db.models import Prefetch

from catalog.models import Product, ProductAttributeValue
from pharmacy.core import cache as catalogue_cache

STRENGTH_ATTR = "strength_mg"
TABLETS_ATTR = "tablets_per_pack"


def canonical_mg(mg: Decimal) -> Decimal:
    """10, 10.0 and 10.00 are one strength; keep 2.5 as 2.5 and 10 as 10 (not 1E+1)."""
    if mg == mg.to_integral_value():
        return mg.quantize(Decimal(1))
    return mg.normalize()


# Where a pack's strength and size values are kept once read (a Prefetch's
# to_attr): a list of its ProductAttributeValue rows for those two codes.
PACK_FACTS_ATTR = "pack_fact_values"
# Where a pack's facts are kept once read through the catalogue cache.
PACK_FACTS_CACHED = "pack_facts"
_UNREAD = object()


def _pack_fact_values():
    return ProductAttributeValue.objects.filter(
        attribute__code__in=[STRENGTH_ATTR, TABLETS_ATTR]
    ).select_related("attribute")


def pack_facts_prefetch(pack_path: str = "") -> Prefetch:
    """A Prefetch that reads, in one query for all of them, what variant_facts
    needs of each pack; `pack_path` leads from the queryset's model to the
    pack (e.g. "product" from a basket line), "" for packs themselves."""
    lookup = f"{pack_path}__attribute_values" if pack_path else "attribute_values"
    return Prefetch(lookup, queryset=_pack_fact_values(), to_attr=PACK_FACTS_ATTR)


def variant_facts(*, product: Product) -> tuple[Decimal, int] | None:
    """(strength in mg, tablets per pack) of a pack, or None if not a drug pack.

    From the values pack_facts_prefetch read with the pack; else from its
    drug's packs' facts, read once for all of them through the catalogue
    cache (kept exact by the catalogue version, which any write bumps).
    """
    values = getattr(product, PACK_FACTS_ATTR, None)
    if values is not None:
        by_code = {value.attribute.code: value for value in values}
        strength, tablets = by_code.get(STRENGTH_ATTR), by_code.get(TABLETS_ATTR)
        return _facts(
            strength=strength and strength.value_float,
            tablets=tablets and tablets.value_integer,
        )
    if product.parent_id is None:
        return None
    facts = getattr(product, PACK_FACTS_CACHED, _UNREAD)
    if facts is _UNREAD:
        strength, tablets = drug_pack_facts(parent_id=product.parent_id).get(
            product.pk, (None, None)
        )
        facts = _facts(strength=strength, tablets=tablets)
        # Kept on the pack: a basket line's pack is asked several times.
        setattr(product, PACK_FACTS_CACHED, facts)
    return facts


def _facts(*, strength: float | None, tablets: int | None):
    if strength is None or tablets is None:
        return None
    return canonical_mg(Decimal(str(strength))), int(tablets)


def drug_pack_facts(*, parent_id: int) -> dict[int, tuple[float | None, int | None]]:
    """Each of a drug's packs' (strength, tablets) as stored, by pack id."""
    return catalogue_cache.versioned(
        key=f"pack-facts:{parent_id}",
        compute=lambda: _drug_pack_facts_read(parent_id=parent_id),
    )


def _drug_pack_facts_read(*, parent_id: int) -> dict:
    facts: dict[int, list] = {}
    for value in _pack_fact_values().filter(product__parent_id=parent_id):
        found = facts.setdefault(value.product_id, [None, None])
        if value.attribute.code == STRENGTH_ATTR:
            found[0] = value.value_float
        else:
            found[1] = value.value_integer
    return {pk: tuple(pair) for pk, pair in facts.items()}
