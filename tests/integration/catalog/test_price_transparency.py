"""A price you can check: each pack's "How this price is made" adds up to what
the basket charges; the public price list and its CSV and JSON agree with the
product pages and show a price change at once; what a pack costs us is
recorded by price editors only, with history, and a pack sold below cost plus
fee is flagged in the staff price list."""

import csv
import io
import json
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from oscar.core.loading import get_class

from catalog import selectors
from catalog.costs.models import PackCost
from catalog.models import Product, Strength
from catalog.partner.models import StockRecord
from checkout.basket.models import Basket
from checkout.orders import placing
from pharmacy.staff.groups import staff_groups_ensure
from pharmacy.staff.roles import CATALOGUE_EDITORS
from tests.checkout_helpers import pack_add
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
Selector = get_class("partner.strategy", "Selector")
MONEY = r"\$([\d,]+\.\d\d|-[\d,]+\.\d\d)"


def pack(drug, mg="10", tablets=30) -> Product:
    return Product.objects.get(upc=f"{drug.product.upc}-{mg}-{tablets}")


def cost(drug, mg, tablets, amount) -> PackCost:
    return PackCost.objects.create(
        pack=pack(drug, mg, tablets), acquisition_cost=Decimal(amount)
    )


def breakdown_on_page(drug, *, mg="10", tablets=30) -> dict[str, Decimal]:
    html = (
        Client()
        .get(drug.product.get_absolute_url(), {"strength": mg, "pack": tablets})
        .content.decode()
    )
    found = re.findall(r'data-field="(\w+)">(-?)\$([\d,.]+)<', html)
    return {k: Decimal(sign + v.replace(",", "")) for k, sign, v in found}


def basket_charges(drug, *, mg="10", tablets=30) -> Decimal:
    """The order total a new shopper's basket of this one pack comes to with
    standard delivery, as placing an order computes it."""
    client = Client()
    pack_add(client, drug=drug, strength=mg, pack=str(tablets))
    basket = Basket.objects.get(lines__product=pack(drug, mg, tablets))
    basket.strategy = Selector().strategy()
    _, _, total = placing.basket_total(basket=basket, shipping_method_code="standard")
    return total.incl_tax


@pytest.mark.parametrize(
    "mg, tablets, amount", [("10", 30, "1.35"), ("10", 360, "16.20")]
)
def test_the_breakdown_adds_up_to_what_the_basket_charges(drug, mg, tablets, amount):
    cost(drug, mg, tablets, amount)

    shown = breakdown_on_page(drug, mg=mg, tablets=tablets)

    assert shown["cost"] == Decimal(amount)
    assert shown["fee"] == settings.PHARMACY_FEE
    assert shown["cost"] + shown["fee"] + shown["margin"] == shown["pack_price"]
    assert shown["pack_price"] + shown["delivery"] == shown["total"]
    assert shown["total"] == basket_charges(drug, mg=mg, tablets=tablets)


def test_a_pack_with_no_recorded_cost_shows_no_breakdown(client, drug):
    html = client.get(drug.product.get_absolute_url()).content.decode()

    assert re.search(r'class="price-breakdown" data-price-breakdown\s+hidden', html)


def test_a_pack_sold_below_cost_shows_its_negative_margin(drug):
    cost(drug, "10", 30, "37.00")

    shown = breakdown_on_page(drug)

    assert (
        shown["margin"] == Decimal("38.70") - Decimal("37.00") - settings.PHARMACY_FEE
    )


# -- the public price list ----------------------------------------------------


def page_prices(drug) -> dict[tuple[str, int], tuple[Decimal, Decimal]]:
    table = selectors.product_price_table(product=drug.product)
    return {
        (str(v.strength_mg), v.tablets): (v.pack_price, v.per_tablet)
        for v in table.variants
        if v.strength_available
    }


def list_rows_html(client) -> dict[tuple[str, int], tuple[Decimal, Decimal]]:
    html = client.get(reverse("price-list")).content.decode()
    rows = re.findall(
        r'data-label="Strength">([\d.]+) mg</td>\s*<td data-label="Pack">(\d+) tablets'
        r'</td>\s*<td data-label="Pack price" class="num">\$([\d,.]+)</td>\s*'
        r'<td data-label="Per tablet" class="num">\$([\d,.]+)</td>',
        html,
    )
    return {
        (mg, int(t)): (Decimal(p.replace(",", "")), Decimal(r)) for mg, t, p, r in rows
    }


def test_the_list_and_its_downloads_agree_with_the_product_pages(client, drug):
    expected = page_prices(drug)

    assert list_rows_html(client) == expected

    data = client.get(reverse("price-list-json")).json()
    assert {
        (p["strength_mg"], p["tablets"]): (
            Decimal(p["pack_price"]),
            Decimal(p["per_tablet"]),
        )
        for p in data["packs"]
    } == expected
    assert all(
        p["product_url"].endswith(drug.product.get_absolute_url())
        for p in data["packs"]
    )

    response = client.get(reverse("price-list-csv"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert {
        (r["strength_mg"], int(r["tablets"])): (
            Decimal(r["pack_price"]),
            Decimal(r["per_tablet"]),
        )
        for r in rows
    } == expected


def test_a_strength_not_sold_here_is_not_on_the_list(client, drug):
    Strength.objects.filter(drug=drug, mg=Decimal("25")).update(is_available=False)

    listed = list_rows_html(client)

    assert listed
    assert all(mg == "10" for mg, _ in listed)


def test_a_price_change_shows_on_the_list_at_once(client, drug):
    client.get(reverse("price-list"))  # read into the cache
    record = StockRecord.objects.get(product=pack(drug))
    record.price = Decimal("41.10")
    record.save()

    assert list_rows_html(client)[("10", 30)] == (Decimal("41.10"), Decimal("1.37"))
    changed = {
        (p["strength_mg"], p["tablets"]): p["price_changed"]
        for p in client.get(reverse("price-list-json")).json()["packs"]
    }
    assert changed[("10", 30)] is not None


def test_a_stock_edit_is_not_a_price_change(drug):
    from catalog.costs.price_list import price_change_dates

    record = StockRecord.objects.get(product=pack(drug))
    first = price_change_dates(product_ids=[record.product_id])
    record.num_in_stock = 3
    record.save()

    assert price_change_dates(product_ids=[record.product_id]) == first


def test_a_cell_a_spreadsheet_would_run_is_defused(client, db):
    from tests.factories import make_drug

    drug = make_drug(title="Calmex", prices={"10": {30: "5.00"}})
    Product.objects.filter(pk=drug.product.pk).update(title="=HYPERLINK(1)")

    body = client.get(reverse("price-list-csv")).content.decode()

    assert "'=HYPERLINK(1)" in body


def test_the_footer_links_the_price_list(client, drug):
    assert reverse("price-list") in client.get("/").content.decode()


# -- what a pack costs us ------------------------------------------------------

COSTS = reverse("admin:catalogue_packcost_changelist")
ADD_COST = reverse("admin:catalogue_packcost_add")


def test_a_price_editor_records_a_cost_with_who_and_when(
    editor_client, price_editor, drug
):
    response = editor_client.post(
        ADD_COST,
        {"pack": pack(drug).pk, "acquisition_cost": "1.42", "source": "Invoice 7781"},
    )

    assert response.status_code == 302
    recorded = PackCost.objects.get()
    assert recorded.changed_by == price_editor
    assert recorded.history.get().history_user == price_editor

    change = reverse("admin:catalogue_packcost_change", args=[recorded.pk])
    editor_client.post(change, {"acquisition_cost": "1.55", "source": "Invoice 7802"})
    assert [h.acquisition_cost for h in recorded.history.order_by("history_date")] == [
        Decimal("1.42"),
        Decimal("1.55"),
    ]


def test_only_roles_that_change_prices_change_costs(client, drug):
    recorded = cost(drug, "10", 30, "1.35")
    editor = UserFactory(is_staff=True)
    editor.groups.add(staff_groups_ensure()[CATALOGUE_EDITORS])
    client.force_login(editor)
    change = reverse("admin:catalogue_packcost_change", args=[recorded.pk])

    assert client.get(COSTS).status_code == 403
    assert client.post(change, {"acquisition_cost": "0.01"}).status_code == 403
    assert (
        client.post(
            ADD_COST, {"pack": pack(drug, "10", 60).pk, "acquisition_cost": "1"}
        ).status_code
        == 403
    )
    recorded.refresh_from_db()
    assert recorded.acquisition_cost == Decimal("1.35")


def test_a_cost_cannot_be_deleted(editor_client, drug):
    recorded = cost(drug, "10", 30, "1.35")

    response = editor_client.post(
        reverse("admin:catalogue_packcost_delete", args=[recorded.pk]), {"post": "yes"}
    )

    assert response.status_code == 403
    assert PackCost.objects.filter(pk=recorded.pk).exists()


def test_the_staff_price_list_flags_a_pack_below_cost_and_fee(editor_client, drug):
    cost(drug, "10", 30, "37.00")
    cost(drug, "10", 60, "2.70")

    html = editor_client.get(
        reverse("admin:catalogue_packprice_changelist")
    ).content.decode()

    assert html.count("Below cost and fee") == 1
    assert "Below cost and fee: -2.30" in html
    assert "No cost recorded" in html  # the 360-tablet pack


def test_saving_a_price_below_cost_warns_the_price_editor(editor_client, drug):
    cost(drug, "10", 30, "3.00")
    record = StockRecord.objects.get(product=pack(drug))

    response = editor_client.post(
        reverse("admin:catalogue_packprice_change", args=[record.pk]),
        {"price": "6.50", "price-confirm": "yes"},
        follow=True,
    )

    assert "now sells below what we pay ($3.00) plus the pharmacy fee" in (
        response.content.decode()
    )


def test_the_demo_costs_load_once_marked_demo_and_never_overwrite(drug, tmp_path):
    staff_figure = cost(drug, "10", 60, "2.22")
    fixture = tmp_path / "costs.json"
    fixture.write_text(
        json.dumps(
            {
                "source": "Demo figure",
                "per_tablet": {drug.product.upc: {"10": "0.045", "25": "0.110"}},
            }
        )
    )

    first = io.StringIO()
    call_command("load_demo_costs", str(fixture), stdout=first)
    again = io.StringIO()
    call_command("load_demo_costs", str(fixture), stdout=again)

    assert first.getvalue().startswith("Added 4 demo pack cost(s)")
    assert again.getvalue().startswith("Pack costs already set")
    demo = {c.pack.upc: c for c in PackCost.objects.filter(is_demo=True)}
    assert demo[pack(drug, "10", 30).upc].acquisition_cost == Decimal("1.35")
    assert demo[pack(drug, "25", 90).upc].acquisition_cost == Decimal("9.90")
    staff_figure.refresh_from_db()
    assert staff_figure.acquisition_cost == Decimal("2.22")
    assert not staff_figure.is_demo


def test_the_shipped_demo_fixture_prices_every_strength_of_the_catalog():
    spec = json.loads((settings.BASE_DIR / "fixtures" / "pack_costs.json").read_text())
    catalog = json.loads((settings.BASE_DIR / "fixtures" / "catalog.json").read_text())

    for drug in catalog["drugs"]:
        assert {s["mg"] for s in drug["strengths"]} <= set(
            spec["per_tablet"][drug["upc"]]
        )
