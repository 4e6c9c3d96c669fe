"""The staff price list: the admin changelist over every pack, price editable in
place, with history, validation and a warning for per-tablet price inversions."""

from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog.admin import price_changes
from catalog.models import Product, Strength
from catalog.partner.models import StockRecord
from tests.factories import make_drug, make_pack, many_packs

CHANGELIST = reverse("admin:catalogue_packprice_changelist")


class _ChangelistPage(HTMLParser):
    """The changelist's form inputs and the text of each row of its result table."""

    def __init__(self):
        super().__init__()
        self.inputs: list[dict] = []
        self.rows: list[list[str]] = []
        self._in_form = False
        self._in_results = False
        self._row: list[str] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == "changelist-form":
            self._in_form = True
        elif tag == "table" and attrs.get("id") == "result_list":
            self._in_results = True
        elif tag == "input" and self._in_form:
            self.inputs.append(attrs)
            if self._cell is not None and attrs.get("type") != "hidden":
                self._cell.append(attrs.get("value") or "")
        elif self._in_results and tag == "tr":
            self._row = []
        elif self._row is not None and tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_form = False
        elif tag == "table":
            self._in_results = False
        elif tag in ("td", "th") and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.rows.append(self._row)
            self._row = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def _parse(response) -> _ChangelistPage:
    page = _ChangelistPage()
    page.feed(response.content.decode())
    return page


def _result_rows(response) -> list[list[str]]:
    """Data rows of the result table (the header row has no cells with data)."""
    return [row for row in _parse(response).rows[1:] if row]


def _changelist_post(client, new_prices: dict[int, str]) -> dict[str, str]:
    """The changelist form as the browser would submit it, with some prices
    retyped. new_prices maps a stock record's pk to the text typed in its box."""
    page = _parse(client.get(CHANGELIST))
    data: dict[str, str] = {}
    for field in page.inputs:
        name = field.get("name")
        kind = field.get("type", "text")
        if not name or kind in ("submit", "button"):
            continue
        if kind == "checkbox" and "checked" not in field:
            continue
        data[name] = field.get("value") or ""
    assert "form-TOTAL_FORMS" in data and "form-INITIAL_FORMS" in data
    row_of = {
        int(value): name.removesuffix("-id")
        for name, value in data.items()
        if name.startswith("form-") and name.endswith("-id")
    }
    for pk, price in new_prices.items():
        assert f"{row_of[pk]}-price" in data, "the price box is not on the page"
        data[f"{row_of[pk]}-price"] = price
    data["_save"] = "Save"
    return data


def _record(drug, mg: str, tablets: int) -> StockRecord:
    return StockRecord.objects.get(product__upc=f"{drug.product.upc}-{mg}-{tablets}")


def _messages(response) -> list[tuple[str, str]]:
    return [(m.level_tag, str(m)) for m in response.context["messages"]]


@pytest.fixture
def drug(db):
    return make_drug(
        prices={"10": {30: "38.70", 60: "65.40"}, "25": {30: "101.70"}},
        withdrawn=("25",),
    )


def test_price_list_shows_every_pack_with_its_derived_facts(editor_client, drug):
    make_pack(drug=drug, mg="10", tablets=90, price="85.50", stock=0)

    response = editor_client.get(CHANGELIST)

    assert response.status_code == 200
    rows = sorted(_result_rows(response), key=lambda r: (r[1], int(r[2].split()[0])))
    # Drug, strength, pack size, price (its input box), per tablet, availability,
    # stock, and the margin after cost and fee (no costs recorded here).
    none = "No cost recorded"
    assert rows == [
        ["Baclofen", "10 mg", "30 tablets", "38.70", "$1.29", "On sale", "100", none],
        ["Baclofen", "10 mg", "60 tablets", "65.40", "$1.09", "On sale", "100", none],
        [
            "Baclofen",
            "10 mg",
            "90 tablets",
            "85.50",
            "$0.95",
            "Out of stock",
            "0",
            none,
        ],
        [
            "Baclofen",
            "25 mg",
            "30 tablets",
            "101.70",
            "$3.39",
            "Strength switched off",
            "100",
            none,
        ],
    ]


def test_price_list_leaves_out_parent_products(editor_client, drug):
    # A stock record on a parent product is not a pack and has no place here.
    StockRecord.objects.create(
        product=drug.product,
        partner=StockRecord.objects.first().partner,
        partner_sku="PARENT",
        price=Decimal("1.00"),
        num_in_stock=1,
    )

    response = editor_client.get(CHANGELIST)

    assert len(_result_rows(response)) == 3


def test_price_changed_in_the_list_is_stored_and_on_the_product_page_at_once(
    editor_client, client, drug
):
    record = _record(drug, "10", 30)
    assert b"$40.00" not in client.get(drug.product.get_absolute_url()).content

    response = editor_client.post(
        CHANGELIST, _changelist_post(editor_client, {record.pk: "40.00"}), follow=True
    )

    assert response.status_code == 200
    assert ("success", "1 pack price was changed successfully.") in _messages(response)
    record.refresh_from_db()
    assert record.price == Decimal("40.00")
    # Other packs were submitted unchanged and stay as they were.
    assert _record(drug, "10", 60).price == Decimal("65.40")
    page = client.get(drug.product.get_absolute_url() + "?strength=10&pack=30")
    assert b"$40.00" in page.content
    assert b"$1.33" in page.content  # 40.00 / 30, per tablet
    assert b"$38.70" not in page.content


def test_price_change_is_in_the_history_with_who_and_old_and_new_price(
    editor_client, price_editor, drug
):
    record = _record(drug, "10", 30)

    editor_client.post(
        CHANGELIST, _changelist_post(editor_client, {record.pk: "40.00"})
    )

    change = price_changes().filter(id=record.pk).first()
    assert change is not None
    assert change.history_user == price_editor
    assert change.old_price == Decimal("38.70")
    assert change.price == Decimal("40.00")


def test_change_page_shows_the_price_history(editor_client, price_editor, drug):
    record = _record(drug, "10", 30)
    editor_client.post(
        CHANGELIST, _changelist_post(editor_client, {record.pk: "40.00"})
    )

    response = editor_client.get(
        reverse("admin:catalogue_packprice_change", args=[record.pk])
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "Price history" in html
    history = html[html.index("<th>Old price</th>") :]
    assert f"<td>{price_editor.username}</td><td>38.70</td><td>40.00</td>" in history


def test_price_changes_list_shows_who_changed_what_from_what(
    editor_client, price_editor, drug
):
    record = _record(drug, "10", 30)
    editor_client.post(
        CHANGELIST, _changelist_post(editor_client, {record.pk: "40.00"})
    )

    response = editor_client.get(
        reverse("admin:partner_historicalstockrecord_changelist")
    )

    assert response.status_code == 200
    rows = [row[1:] for row in _result_rows(response)]
    assert [price_editor.username, "38.70", "40.00"] in [
        [row[0], *row[-2:]] for row in rows
    ]
    assert any("Baclofen 10 mg, 30 tablets" in row[1] for row in rows)


def test_history_without_changes_says_so(editor_client, drug):
    record = _record(drug, "10", 30)

    response = editor_client.get(
        reverse("admin:catalogue_packprice_change", args=[record.pk])
    )

    # Creating the pack is recorded, but no price has been changed yet.
    assert "<td>system</td><td>(created)</td><td>38.70</td>" in (
        response.content.decode()
    )


def test_price_changes_pairs_each_change_with_the_price_it_replaced(drug):
    record = _record(drug, "10", 30)
    for price in ("40.00", "41.50"):
        record.price = Decimal(price)
        record.save()

    rows = list(price_changes().filter(id=record.pk))

    assert [(r.old_price, r.price) for r in rows] == [
        (Decimal("40.00"), Decimal("41.50")),
        (Decimal("38.70"), Decimal("40.00")),
        (None, Decimal("38.70")),
    ]


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("0", "The price must be more than zero."),
        ("-5", "The price must be more than zero."),
        ("1.234", "Ensure that there are no more than 2 decimal places."),
        ("abc", "Enter a number."),
        ("", "Every pack needs a price."),
    ],
)
def test_invalid_price_is_refused_with_a_message(editor_client, drug, typed, error):
    record = _record(drug, "10", 30)

    response = editor_client.post(
        CHANGELIST, _changelist_post(editor_client, {record.pk: typed})
    )

    assert response.status_code == 200  # the list again, not a redirect
    html = response.content.decode()
    assert "errornote" in html
    assert error in html
    record.refresh_from_db()
    assert record.price == Decimal("38.70")
    assert price_changes().filter(id=record.pk).count() == 1  # just the creation


def test_larger_pack_dearer_per_tablet_is_saved_with_a_warning(editor_client, drug):
    record = _record(drug, "10", 60)

    # 80.00 / 60 = 1.333 a tablet, dearer than 38.70 / 30 = 1.29.
    response = editor_client.post(
        CHANGELIST,
        _changelist_post(editor_client, {record.pk: "80.00"}),
        follow=True,
    )

    record.refresh_from_db()
    assert record.price == Decimal("80.00")
    warnings = [text for level, text in _messages(response) if level == "warning"]
    assert len(warnings) == 1
    assert "Baclofen 10 mg" in warnings[0]
    assert "packs of 60" in warnings[0]
    assert "packs of 30" in warnings[0]


def test_inversion_within_a_cent_per_tablet_is_still_warned(editor_client, drug):
    record = _record(drug, "10", 60)

    # 77.41 / 60 = 1.29017 rounds to $1.29 like 38.70 / 30, but is dearer.
    response = editor_client.post(
        CHANGELIST,
        _changelist_post(editor_client, {record.pk: "77.41"}),
        follow=True,
    )

    assert any(level == "warning" for level, _ in _messages(response))


def test_ordinary_price_change_gives_no_warning(editor_client, drug):
    record = _record(drug, "10", 60)

    response = editor_client.post(
        CHANGELIST,
        _changelist_post(editor_client, {record.pk: "60.00"}),
        follow=True,
    )

    record.refresh_from_db()
    assert record.price == Decimal("60.00")
    assert not [text for level, text in _messages(response) if level == "warning"]


def test_other_strength_is_not_compared(editor_client, drug):
    # 25 mg costs more per tablet than 10 mg, but that is not a pack inversion.
    record = _record(drug, "25", 30)

    response = editor_client.post(
        CHANGELIST,
        _changelist_post(editor_client, {record.pk: "102.00"}),
        follow=True,
    )

    assert not [text for level, text in _messages(response) if level == "warning"]


def _changelist_queries(client) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(CHANGELIST)
    assert response.status_code == 200
    return len(queries), len(_result_rows(response))


def test_price_list_query_count_does_not_grow_with_packs(editor_client, db):
    make_drug(title="Smalldrug", prices=many_packs(strengths=2, pack_sizes=7))
    editor_client.get(CHANGELIST)  # warm caches (content types, sessions)
    few_queries, few_rows = _changelist_queries(editor_client)

    make_drug(title="Bigdrug", prices=many_packs(strengths=18, pack_sizes=7))
    Strength.objects.filter(mg=Decimal("15")).update(is_available=False)
    many_queries, many_rows = _changelist_queries(editor_client)

    assert (few_rows, many_rows) == (14, 140)
    assert Product.objects.filter(parent__isnull=False).count() == 140
    assert many_queries == few_queries
