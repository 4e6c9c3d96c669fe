"""Reads that build what catalogue pages show. A fixed number of queries each,
however many variants a drug has."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, OuterRef, Subquery

from catalog import markets, pricing
from catalog.models import (
    Drug,
    MonographSection,
    Option,
    Product,
    ProductAttributeValue,
    Strength,
)
from catalog.packs import (  # noqa: F401  variant_facts: read here by callers
    STRENGTH_ATTR,
    TABLETS_ATTR,
    canonical_mg,
    pack_facts_prefetch,
    variant_facts,
)
from catalog.partner import strategy as purchase
from catalog.partner.models import StockRecord


@dataclass(frozen=True)
class Variant:
    """One sellable pack, with every price derived from its stored pack price."""

    product_id: int
    title: str
    strength_mg: Decimal
    tablets: int
    pack_price: Decimal
    currency: str
    per_tablet: Decimal
    saving: Decimal
    saving_percent: Decimal
    base_tablets: int
    status: "purchase.PackStatus"

    @property
    def is_available(self) -> bool:
        return self.status.can_buy

    @property
    def strength_available(self) -> bool:
        """Listed on the page (bought, or shown as out of stock)."""
        return self.status.shown

    @property
    def has_saving(self) -> bool:
        return self.saving > 0

    @property
    def key(self) -> str:
        return f"{self.strength_mg}-{self.tablets}"


@dataclass(frozen=True)
class NotSold:
    """A strength shown on the page but not sold in the store's market."""

    strength_mg: Decimal
    label: str  # "Not sold in the US"
    reason: str


@dataclass
class PriceTable:
    strengths: list[Decimal]
    pack_sizes: list[int]
    variants: list[Variant]
    not_sold: list[NotSold] = field(default_factory=list)
    _index: dict[tuple[Decimal, int], Variant] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._index = {(v.strength_mg, v.tablets): v for v in self.variants}

    def not_sold_reason(self, *, strength_mg: Decimal) -> str | None:
        for item in self.not_sold:
            if item.strength_mg == strength_mg:
                return f"{item.label}: {item.reason}"
        return None

    def get(self, *, strength_mg: Decimal, tablets: int) -> Variant | None:
        return self._index.get((strength_mg, tablets))

    @property
    def rows(self) -> list[tuple[Decimal, list[Variant | None]]]:
        return [
            (s, [self.get(strength_mg=s, tablets=t) for t in self.pack_sizes])
            for s in self.strengths
        ]

    @property
    def default(self) -> Variant | None:
        """The smallest pack in stock of the lowest strength on sale; failing that,
        the first pack of a strength on sale (shown as out of stock)."""
        on_sale = [v for v in self.variants if v.strength_available]
        for v in on_sale:
            if v.is_available:
                return v
        return on_sale[0] if on_sale else None

    @property
    def per_tablet_range(self) -> tuple[Decimal, Decimal] | None:
        rates = [v.per_tablet for v in self.variants if v.is_available]
        return (min(rates), max(rates)) if rates else None


def _pack_rows(**filters) -> list[dict]:
    """Every public pack matching the filters with its facts, price and stock, in
    one query: subqueries instead of prefetches, so the count never grows."""

    def attribute(code: str, column: str) -> Subquery:
        return Subquery(
            ProductAttributeValue.objects.filter(
                product=OuterRef("pk"), attribute__code=code
            ).values(column)[:1]
        )

    def stock(column: str) -> Subquery:
        # Oscar's strategy sells from a pack's first stock record.
        return Subquery(
            StockRecord.objects.filter(product=OuterRef("pk"))
            .order_by("pk")
            .values(column)[:1]
        )

    return list(
        Product.objects.filter(is_public=True, **filters)
        .order_by()
        .annotate(
            strength=attribute(STRENGTH_ATTR, "value_float"),
            tablets=attribute(TABLETS_ATTR, "value_integer"),
            price=stock("price"),
            currency=stock("price_currency"),
            num_in_stock=stock("num_in_stock"),
            num_allocated=stock("num_allocated"),
        )
        .values(
            "pk",
            "parent_id",
            "parent__is_public",
            "title",
            "strength",
            "tablets",
            "price",
            "currency",
            "num_in_stock",
            "num_allocated",
        )
    )


def pack_to_add(*, parent_id: int, strength_mg: Decimal, tablets: int):
    """The public pack of a browsable drug with this strength and pack size,
    or None. It comes with what adding it to a basket reads: its drug's
    product, its strength and size, its stock records, and whether it has
    options (as Oscar's own base_queryset annotates them)."""
    return (
        Product.objects.filter(
            parent_id=parent_id,
            parent__parent=None,
            parent__is_public=True,
            is_public=True,
        )
        # Two filter() calls: each value is matched on its own attribute row.
        .filter(
            attribute_values__attribute__code=STRENGTH_ATTR,
            attribute_values__value_float=float(strength_mg),
        )
        .filter(
            attribute_values__attribute__code=TABLETS_ATTR,
            attribute_values__value_integer=tablets,
        )
        .select_related("parent")
        .annotate(
            has_product_class_options=Exists(
                Option.objects.filter(productclass=OuterRef("parent__product_class"))
            ),
            has_product_options=Exists(Option.objects.filter(product=OuterRef("pk"))),
        )
        .prefetch_related(pack_facts_prefetch(), "stockrecords")
        .order_by("pk")
        .first()
    )


def _strength_states(strengths) -> tuple[set[Decimal], list[NotSold]]:
    """(withdrawn mgs, not-sold strengths) of one drug's strengths."""
    market = markets.current_market()
    withdrawn, not_sold = set(), []
    for strength in strengths:
        mg = canonical_mg(strength.mg)
        if not strength.is_available:
            withdrawn.add(mg)
        elif reason := markets.strength_sale_refusal(strength=strength, market=market):
            withdrawn.add(mg)
            not_sold.append(
                NotSold(
                    strength_mg=mg,
                    label=markets.not_sold_label(market=market),
                    reason=reason,
                )
            )
    return withdrawn, sorted(not_sold, key=lambda n: n.strength_mg)


def _build_table(
    *, rows: Sequence[dict], withdrawn: set[Decimal], not_sold=()
) -> PriceTable:
    raw = []
    for row in rows:
        if row["strength"] is None or row["tablets"] is None or row["price"] is None:
            continue
        mg = canonical_mg(Decimal(str(row["strength"])))
        # The strategy says what a pack costs (SQLite hands back subquery
        # decimals unquantised; a price is whole cents).
        price = purchase.pack_price(price=row["price"])
        raw.append(((mg, int(row["tablets"])), row, price))
    raw.sort(key=lambda r: r[0])

    base_pack: dict[Decimal, tuple[Decimal, int]] = {}
    for (mg, tablets), _row, price in raw:
        base_pack.setdefault(mg, (price, tablets))

    variants = []
    for (mg, tablets), row, price in raw:
        base_price, base_tablets = base_pack[mg]
        saving, percent = pricing.pack_saving(
            pack_price=price,
            tablets=tablets,
            base_pack_price=base_price,
            base_tablets=base_tablets,
        )
        variants.append(
            Variant(
                product_id=row["pk"],
                title=row["title"],
                strength_mg=mg,
                tablets=tablets,
                pack_price=price,
                currency=row["currency"],
                per_tablet=pricing.per_tablet_price(pack_price=price, tablets=tablets),
                saving=saving,
                saving_percent=percent,
                base_tablets=base_tablets,
                status=purchase.pack_status(
                    pack_public=True,  # _pack_rows reads public packs only
                    drug_public=row["parent__is_public"] is not False,
                    strength_on_sale=mg not in withdrawn,
                    price=price,
                    net_stock=purchase.net_stock(
                        num_in_stock=row["num_in_stock"],
                        num_allocated=row["num_allocated"],
                    ),
                ),
            )
        )
    strengths = sorted({v.strength_mg for v in variants if v.strength_available})
    pack_sizes = sorted({v.tablets for v in variants if v.strength_available})
    return PriceTable(
        strengths=strengths,
        pack_sizes=pack_sizes,
        variants=variants,
        not_sold=list(not_sold),
    )


def product_price_table(*, product: Product) -> PriceTable:
    """The strength x pack table for a parent product. Two queries."""
    rows = _pack_rows(parent=product)
    withdrawn, not_sold = _strength_states(
        Strength.objects.filter(drug__product=product).select_related("drug")
    )
    return _build_table(rows=rows, withdrawn=withdrawn, not_sold=not_sold)


def price_tables_for(*, products: Sequence[Product]) -> dict[int, PriceTable]:
    """Price tables for many parent products at once (catalogue listings)."""
    ids = [p.pk for p in products]
    by_parent: dict[int, list[dict]] = defaultdict(list)
    for row in _pack_rows(parent_id__in=ids):
        by_parent[row["parent_id"]].append(row)
    strengths: dict[int, list[Strength]] = defaultdict(list)
    for strength in Strength.objects.filter(drug__product_id__in=ids).select_related(
        "drug"
    ):
        strengths[strength.drug.product_id].append(strength)
    tables = {}
    for pid in ids:
        withdrawn, not_sold = _strength_states(strengths[pid])
        tables[pid] = _build_table(
            rows=by_parent[pid], withdrawn=withdrawn, not_sold=not_sold
        )
    return tables


def monograph_sections(*, drug: Drug) -> list[MonographSection]:
    return list(drug.sections.all())
