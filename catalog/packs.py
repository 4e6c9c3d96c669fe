"""A pack's facts: its strength and its size, which Oscar keeps as two of the
pack's attribute values. The purchase strategy and the catalogue's pages
both read them here."""

from decimal import Decimal

from django.db.models import Prefetch

from catalog.models import Product, ProductAttributeValue

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

    From the values pack_facts_prefetch read with the pack, else one query,
    whose rows are kept where the prefetch would have put them: a basket
    line's pack is asked several times a request.
    """
    values = getattr(product, PACK_FACTS_ATTR, None)
    if values is None:
        values = list(_pack_fact_values().filter(product=product))
        setattr(product, PACK_FACTS_ATTR, values)
    by_code = {value.attribute.code: value for value in values}
    strength, tablets = by_code.get(STRENGTH_ATTR), by_code.get(TABLETS_ATTR)
    if strength is None or tablets is None:
        return None
    if strength.value_float is None or tablets.value_integer is None:
        return None
    return (
        canonical_mg(Decimal(str(strength.value_float))),
        int(tablets.value_integer),
    )
