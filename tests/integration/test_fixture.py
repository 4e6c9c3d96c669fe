"""The demo catalog (fixtures/catalog.json) as `load_catalog` loads it."""

import json
from decimal import Decimal
from io import StringIO
from itertools import pairwise

import pytest
from django.conf import settings
from django.core.management import call_command

from catalog import pricing
from catalog.models import (
    Drug,
    MonographSection,
    Product,
    ProductAttributeValue,
    ProductImage,
    Strength,
)
from catalog.partner.models import StockRecord
from catalog.selectors import product_price_table, variant_facts

PACK_SIZES = [30, 60, 90, 120, 180, 270, 360]
STRENGTHS = [Decimal("10"), Decimal("25")]


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """The pack image is written under MEDIA_ROOT: keep it out of the checkout."""
    settings.MEDIA_ROOT = tmp_path


def _load() -> str:
    out = StringIO()
    call_command("load_catalog", stdout=out)
    return out.getvalue()


def _baclofen() -> Product:
    return Product.objects.get(upc="BACLOFEN")


def _counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (
            Product,
            StockRecord,
            Drug,
            Strength,
            MonographSection,
            ProductImage,
            ProductAttributeValue,
        )
    }


def test_loads_fourteen_baclofen_packs(db):
    _load()

    children = list(Product.objects.filter(parent=_baclofen()))

    assert len(children) == 14
    facts = sorted(variant_facts(product=child) for child in children)
    assert facts == [(mg, tablets) for mg in STRENGTHS for tablets in PACK_SIZES]
    assert sorted(Strength.objects.values_list("mg", flat=True)) == STRENGTHS
    assert all(s.is_available for s in Strength.objects.all())
    assert StockRecord.objects.filter(product__in=children).count() == 14


def test_prices_are_in_us_dollars(db):
    _load()

    assert set(StockRecord.objects.values_list("price_currency", flat=True)) == {"USD"}


def test_per_tablet_prices_span_the_advertised_range_where_25_mg_is_sold(db, settings):
    settings.PHARMACY_MARKET = "ES"
    _load()

    table = product_price_table(product=_baclofen())

    rates = [v.per_tablet for v in table.variants]
    assert len(rates) == 14
    assert min(rates) == Decimal("0.61")
    assert max(rates) == Decimal("3.39")
    assert table.per_tablet_range == (Decimal("0.61"), Decimal("3.39"))


def test_per_tablet_price_falls_as_the_pack_grows(db):
    _load()

    table = product_price_table(product=_baclofen())

    for mg in STRENGTHS:
        packs = sorted(
            (v.tablets, v.pack_price) for v in table.variants if v.strength_mg == mg
        )
        assert [t for t, _ in packs] == PACK_SIZES
        # Exact rates, not rounded ones, so a tie hidden by rounding fails too.
        rates = [price / tablets for tablets, price in packs]
        assert all(a > b for a, b in pairwise(rates)), mg
        assert pricing.per_tablet_inversions(packs=packs) == []


def test_stronger_tablets_cost_more_per_tablet_in_every_pack_size(db):
    _load()

    table = product_price_table(product=_baclofen())

    for tablets in PACK_SIZES:
        ten = table.get(strength_mg=Decimal("10"), tablets=tablets)
        twenty_five = table.get(strength_mg=Decimal("25"), tablets=tablets)
        assert twenty_five.pack_price > ten.pack_price, tablets
        assert twenty_five.per_tablet > ten.per_tablet, tablets


def test_in_the_us_25_mg_is_not_sold_and_the_range_is_the_10_mg_packs(db):
    _load()

    table = product_price_table(product=_baclofen())

    assert table.strengths == [Decimal("10")]
    assert [n.label for n in table.not_sold] == ["Not sold in the US"]
    assert "not approved in the US" in table.not_sold[0].reason
    assert table.per_tablet_range == (Decimal("0.61"), Decimal("1.29"))


def test_every_pack_is_in_stock_and_on_the_product_page(client, db, settings):
    settings.PHARMACY_MARKET = "ES"
    _load()

    table = product_price_table(product=_baclofen())
    response = client.get(_baclofen().get_absolute_url())

    assert all(v.is_available for v in table.variants)
    assert response.status_code == 200
    for v in table.variants:
        assert f"${v.pack_price}".encode() in response.content


def test_monograph_has_fourteen_sections_in_order_with_unique_anchors(db):
    _load()
    source = json.loads(
        (settings.BASE_DIR / "fixtures" / "monograph" / "baclofen.json").read_text(
            "utf-8"
        )
    )

    sections = list(Drug.objects.get(product=_baclofen()).sections.all())

    assert len(sections) == 14
    assert [s.anchor for s in sections] == [s["anchor"] for s in source]
    assert [s.title for s in sections] == [s["title"] for s in source]
    assert len({s.anchor for s in sections}) == 14
    assert [s.position for s in sections] == list(range(1, 15))
    assert sections[0].anchor == "overview"
    assert all(s.body.strip() for s in sections)


def test_drug_is_prescription_only(db):
    _load()

    drug = Drug.objects.get(product=_baclofen())

    assert drug.prescription_required is True
    assert drug.generic_name == "baclofen"


def test_product_has_a_pack_image(db):
    _load()

    images = list(_baclofen().images.all())

    assert len(images) == 1
    with images[0].original.open("rb") as f:
        assert f.read(8) == b"\x89PNG\r\n\x1a\n"
    assert (settings.MEDIA_ROOT / images[0].original.name).is_file()


def test_second_run_creates_nothing(db):
    first = _load()
    before = _counts()

    second = _load()

    assert "Created" in first
    assert _counts() == before
    assert "nothing changed" in second


def test_second_run_keeps_a_changed_price(db):
    _load()
    record = StockRecord.objects.get(product__upc="BACLOFEN-10MG-30")
    record.price = Decimal("36.00")
    record.save()

    _load()

    record.refresh_from_db()
    assert record.price == Decimal("36.00")


def test_second_run_keeps_stock_and_availability_changes(db):
    _load()
    StockRecord.objects.filter(product__upc="BACLOFEN-25MG-90").update(num_in_stock=3)
    Strength.objects.filter(mg=25).update(is_available=False)

    _load()

    assert StockRecord.objects.get(product__upc="BACLOFEN-25MG-90").num_in_stock == 3
    assert Strength.objects.get(mg=25).is_available is False


def test_second_run_keeps_monograph_edits(db):
    _load()
    section = MonographSection.objects.get(anchor="storage")
    section.title = "Keeping your tablets"
    section.body = "Edited by our pharmacist."
    section.save()
    MonographSection.objects.filter(anchor="overdose").delete()

    _load()

    section.refresh_from_db()
    assert section.title == "Keeping your tablets"
    assert section.body == "Edited by our pharmacist."
    assert not MonographSection.objects.filter(anchor="overdose").exists()
    assert MonographSection.objects.count() == 13
