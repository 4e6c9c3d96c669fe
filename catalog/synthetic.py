"""A synthetic catalogue of many drugs, for benchmarks and tests only (``make
run`` never loads it). Rows go in with bulk_create, a few statements per table
for the whole batch, so 1,000 drugs take seconds, not minutes."""

import random
from decimal import Decimal

from django.db import connection, transaction

from catalog import search
from catalog.models import (
    Drug,
    DrugStatus,
    MonographSection,
    Product,
    ProductAttribute,
    ProductAttributeValue,
    ProductClass,
    Strength,
)
from catalog.partner.models import Partner, StockRecord
from catalog.selectors import STRENGTH_ATTR, TABLETS_ATTR, canonical_mg
from catalog.services import product_class_ensure_pack_attributes, variant_title

UPC_PREFIX = "SYN"
PACK_SIZES = (30, 60, 90, 120, 180, 270, 360)
STRENGTH_CHOICES = (Decimal("2"), Decimal("5"), Decimal("10"), Decimal("20"))
_HEADS = (
    "Ala Bre Cor Dex Elo Fen Gal Hal Ixo Jun Kel Lor Mar Nor Ola Pra Qui Ros Sal Tor"
)
_MIDDLES = "ba de fi lo mu na ri so te vi"
_TAILS = "lol pril zam cin fen dine tan mab xin vir"
SECTIONS = (
    ("what-it-is-for", "What it is for", "Synthetic benchmark text. Not a medicine."),
    ("how-to-take-it", "How to take it", "Take as your prescriber tells you."),
    ("side-effects", "Side effects", "- drowsiness\n- headache\n- nausea"),
    ("storage", "Storage", "Store below 25 °C, away from children."),
)


def synthetic_name(index: int) -> str:
    """A pronounceable, unique name per index (the first 2,000 have no digits)."""
    heads, middles, tails = _HEADS.split(), _MIDDLES.split(), _TAILS.split()
    name = heads[index % 20] + middles[(index // 20) % 10] + tails[(index // 200) % 10]
    return name if index < 2000 else f"{name} {index // 2000}"


# The tables a run fills: the planner needs fresh statistics after a bulk load.
FILLED_MODELS = (
    Product,
    Drug,
    MonographSection,
    Strength,
    ProductAttributeValue,
    StockRecord,
)


def synthetic_catalogue_generate(*, drugs: int, seed: int = 14) -> int:
    """Add ``drugs`` published synthetic drugs, each with two strengths of seven
    packs, prices, stock and a four-section monograph, found by search like
    any drug. Returns packs created. Safe to run again: numbering continues
    after the drugs already there."""
    packs = _generate(drugs=drugs, seed=seed)
    _analyze_filled_tables()
    return packs


def _analyze_filled_tables() -> None:
    """PostgreSQL's advice after a bulk load. Without statistics (autovacuum
    may be off, or not have run yet) the planner guesses the tables are
    tiny and picks plans hundreds of times slower for a page of cards."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in FILLED_MODELS:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


@transaction.atomic
def _generate(*, drugs: int, seed: int) -> int:
    rng = random.Random(seed)  # noqa: S311  repeatable made-up prices, not secrets
    pclass, _ = ProductClass.objects.get_or_create(
        slug="prescription-tablets",
        defaults={"name": "Prescription tablets", "track_stock": True},
    )
    product_class_ensure_pack_attributes(product_class=pclass)
    attrs = {
        a.code: a
        for a in ProductAttribute.objects.filter(
            product_class=pclass, code__in=[STRENGTH_ATTR, TABLETS_ATTR]
        )
    }
    partner, _ = Partner.objects.get_or_create(name="Dispensary")
    start = Product.objects.filter(
        upc__startswith=UPC_PREFIX, parent__isnull=True
    ).count()
    indexes = range(start, start + drugs)

    parents = Product.objects.bulk_create(
        Product(
            structure=Product.PARENT,
            title=synthetic_name(i),
            slug=synthetic_name(i).lower().replace(" ", "-"),
            upc=f"{UPC_PREFIX}{i:06d}",
            description=f"{synthetic_name(i)}: a synthetic drug for benchmarks.",
            product_class=pclass,
        )
        for i in indexes
    )
    drug_rows = Drug.objects.bulk_create(
        Drug(
            product=parent,
            generic_name=parent.title.lower(),
            brand_names=f"{parent.title}ex",
            dosage_form="tablet",
            route="oral",
            prescription_required=True,
            max_daily_dose_mg=Decimal("80"),
            status=DrugStatus.PUBLISHED,
        )
        for parent in parents
    )
    # bulk_create sends no post_save, which indexes a saved drug for search.
    search.drugs_search_index(drug_ids=[drug.pk for drug in drug_rows])
    MonographSection.objects.bulk_create(
        MonographSection(drug=drug, position=n, anchor=anchor, title=title, body=body)
        for drug in drug_rows
        for n, (anchor, title, body) in enumerate(SECTIONS, start=1)
    )

    plan = []  # (parent, mg, tablets, price)
    strengths = []
    for drug, parent in zip(drug_rows, parents, strict=True):
        for mg in sorted(rng.sample(STRENGTH_CHOICES, 2)):
            strengths.append(Strength(drug=drug, mg=mg))
            per_tablet = Decimal(rng.randint(20, 300)) / 100
            for n, tablets in enumerate(PACK_SIZES):
                discount = Decimal(100 - 2 * n) / 100  # bigger packs cheaper a tablet
                price = (per_tablet * tablets * discount).quantize(Decimal("0.01"))
                plan.append((parent, canonical_mg(mg), tablets, price))
    Strength.objects.bulk_create(strengths)

    children = Product.objects.bulk_create(
        Product(
            structure=Product.CHILD,
            parent=parent,
            title=variant_title(drug_title=parent.title, mg=mg, tablets=tablets),
            slug=f"{parent.slug}-{mg}-mg-{tablets}",
            upc=f"{parent.upc}-{mg}MG-{tablets}",
        )
        for parent, mg, tablets, _price in plan
    )
    ProductAttributeValue.objects.bulk_create(
        value
        for child, (_parent, mg, tablets, _price) in zip(children, plan, strict=True)
        for value in (
            ProductAttributeValue(
                product=child, attribute=attrs[STRENGTH_ATTR], value_float=float(mg)
            ),
            ProductAttributeValue(
                product=child, attribute=attrs[TABLETS_ATTR], value_integer=tablets
            ),
        )
    )
    StockRecord.objects.bulk_create(
        StockRecord(
            product=child,
            partner=partner,
            partner_sku=child.upc,
            price=price,
            price_currency="USD",
            num_in_stock=1000,
        )
        for child, (_parent, _mg, _tablets, price) in zip(children, plan, strict=True)
    )
    return len(children)
