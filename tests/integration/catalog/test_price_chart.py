"""The product page's price chart: one line per strength, each point a cell of
the price table, small, and redrawn when a price changes."""

import re
from decimal import Decimal

import pytest

from catalog import price_chart, selectors
from catalog.partner.models import StockRecord
from tests.factories import make_drug

pytestmark = pytest.mark.django_db

PRICES = {
    "10": {30: "38.70", 90: "85.50", 360: "219.60"},
    "25": {30: "101.70", 90: "224.10", 360: "536.40"},
}


def chart_of(client, drug) -> str:
    html = client.get(drug.product.get_absolute_url()).content.decode()
    match = re.search(r'<figure class="price-chart">.*?</figure>', html, re.S)
    assert match, "no chart on the page"
    return match.group(0)


def plotted(chart: str) -> dict[tuple[str, int], str]:
    points = {}
    for series in re.finditer(
        r'<g class="chart-series[^"]*" data-strength="([^"]+)">(.*?)</g>', chart, re.S
    ):
        for pack, per_tablet in re.findall(
            r'data-pack="(\d+)" data-per-tablet="([^"]+)"', series.group(2)
        ):
            points[(series.group(1), int(pack))] = per_tablet
    return points


def test_every_point_is_a_cell_of_the_price_table(client):
    drug = make_drug(prices=PRICES)
    table = selectors.product_price_table(product=drug.product)

    points = plotted(chart_of(client, drug))

    assert points == {
        (str(v.strength_mg), v.tablets): str(v.per_tablet) for v in table.variants
    }
    assert points[("10", 360)] == "0.61"  # 219.60 / 360
    assert points[("25", 30)] == "3.39"  # 101.70 / 30


def test_the_chart_has_a_text_alternative_and_stays_small(client):
    drug = make_drug(prices=PRICES)
    chart = chart_of(client, drug)
    assert 'role="img"' in chart
    assert "<title" in chart and "<desc" in chart
    assert "10 mg: $1.29 per tablet in packs of 30" in chart
    assert "style=" not in chart
    assert len(chart.encode()) <= 6 * 1024


def test_a_withdrawn_strength_is_not_drawn(client):
    drug = make_drug(prices=PRICES, withdrawn=("25",))
    assert set(s for s, _ in plotted(chart_of(client, drug))) == {"10"}


def test_the_chart_changes_when_a_price_changes(client):
    drug = make_drug(prices=PRICES)
    before = chart_of(client, drug)

    record = StockRecord.objects.get(product__upc=f"{drug.product.upc}-10-360")
    record.price = Decimal("252.00")
    record.save()

    after = chart_of(client, drug)
    assert after != before
    assert plotted(after)[("10", 360)] == "0.70"


def test_higher_prices_are_drawn_higher():
    drug = make_drug(prices=PRICES)
    chart = price_chart.price_chart(
        table=selectors.product_price_table(product=drug.product)
    )
    ten, twenty_five = chart.lines
    # SVG y grows downwards: dearer per tablet is nearer the top.
    assert all(a.y > b.y for a, b in zip(ten.points, twenty_five.points, strict=True))
    assert [p.x for p in ten.points] == sorted(p.x for p in ten.points)


def test_one_pack_draws_no_chart():
    drug = make_drug(prices={"10": {30: "38.70"}})
    table = selectors.product_price_table(product=drug.product)
    assert price_chart.price_chart(table=table) is None
