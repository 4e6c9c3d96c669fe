"""What shoppers see: the product page's chooser, price table and monograph, the
listings' "from" price, and the pharmacy's details in every footer."""

import json

import pytest
from django.urls import reverse

from catalog.models import Product
from tests.factories import MonographSectionFactory, make_drug, make_pack
from tests.html import find_all, find_one, page, text

pytestmark = pytest.mark.django_db

# The default make_drug(): 10 mg in 30/60/360 and 25 mg in 30/90.
# (key, pack price, per tablet, saving shown in the table or None)
DEFAULT_CELLS = [
    ("10-30", "$38.70", "$1.29", None),
    ("10-60", "$65.40", "$1.09", "save 16%"),
    ("10-360", "$219.60", "$0.61", "save 53%"),
    ("25-30", "$101.70", "$3.39", None),
    ("25-90", "$224.10", "$2.49", "save 27%"),
]


def radios(root, name: str) -> list[tuple[str, bool]]:
    """(value, checked) of each radio button called name, in page order."""
    return [
        (el.attrs["value"], "checked" in el.attrs)
        for el in find_all(root, "input", type="radio", name=name)
    ]


def selected_price(root) -> str:
    return text(find_one(root, "div", cls="selected-price"))


def variant_data(root) -> dict:
    return json.loads(text(find_one(root, "script", id="variant-data")))


def price_cells(root) -> dict[str, str]:
    """Text of each sold cell of the price table, by variant key."""
    table = find_one(find_one(root, "section", cls="price-table"), "table")
    return {
        td.attrs["data-variant"]: text(td)
        for td in find_all(table, "td")
        if td.attrs.get("data-variant")
    }


def row_headers(root) -> list[str]:
    table = find_one(find_one(root, "section", cls="price-table"), "table")
    return [text(th) for th in find_all(table, "th", scope="row")]


# The price table


def test_price_table_shows_every_packs_price_and_per_tablet_price(client):
    drug = make_drug()

    cells = price_cells(page(client.get(drug.product.get_absolute_url())))

    assert set(cells) == {key for key, *_ in DEFAULT_CELLS}
    for key, pack_price, per_tablet, _saving in DEFAULT_CELLS:
        assert cells[key].startswith(f"{pack_price} {per_tablet} per tablet"), key


def test_price_table_shows_the_saving_percent_of_bigger_packs_only(client):
    drug = make_drug()

    cells = price_cells(page(client.get(drug.product.get_absolute_url())))

    for key, _pack, _unit, saving in DEFAULT_CELLS:
        if saving:
            assert cells[key].endswith(saving), key
        else:  # the smallest pack of each strength is the base: no saving
            assert "save" not in cells[key], key


def test_price_table_never_advertises_a_negative_saving(client):
    # The 60-pack is dearer per tablet than the 30-pack.
    drug = make_drug(prices={"10": {30: "30.00", 60: "66.00"}})

    cells = price_cells(page(client.get(drug.product.get_absolute_url())))

    assert cells["10-60"] == "$66.00 $1.10 per tablet"


def test_price_table_has_a_row_per_strength_and_a_column_per_pack_size(client):
    drug = make_drug()

    root = page(client.get(drug.product.get_absolute_url()))

    table = find_one(find_one(root, "section", cls="price-table"), "table")
    assert [text(th) for th in find_all(table, "th", scope="col")] == [
        "Strength",
        "30 tablets",
        "60 tablets",
        "90 tablets",
        "360 tablets",
    ]
    assert row_headers(root) == ["10 mg", "25 mg"]
    assert len(find_all(table, "td")) == 8
    assert [text(td) for td in find_all(table, "td") if "not sold" in text(td)] == [
        "not sold"
    ] * 3


def test_price_table_marks_an_out_of_stock_pack(client):
    drug = make_drug(prices={"10": {30: "38.70"}})
    make_pack(drug=drug, mg="10", tablets=60, price="65.40", stock=0)

    cells = price_cells(page(client.get(drug.product.get_absolute_url())))

    assert "out of stock" in cells["10-60"]
    assert "out of stock" not in cells["10-30"]


# The chooser


def test_strength_and_pack_size_are_radio_groups_with_legends(client):
    drug = make_drug()

    root = page(client.get(drug.product.get_absolute_url()))

    form = find_one(root, "form", cls="buy-form")
    assert form.attrs["action"] == reverse(
        "catalogue:add-variant",
        kwargs={"product_slug": drug.product.slug, "pk": drug.product.pk},
    )
    legends = [text(find_one(fs, "legend")) for fs in find_all(form, "fieldset")]
    assert legends == ["Strength", "Pack size"]
    strength_set, pack_set = find_all(form, "fieldset")
    assert radios(strength_set, "strength") == [("10", True), ("25", False)]
    assert radios(pack_set, "pack") == [
        ("30", True),
        ("60", False),
        ("90", False),
        ("360", False),
    ]
    labels = [text(label) for label in find_all(strength_set, "label")]
    assert labels == ["10 mg", "25 mg"]


def test_default_choice_is_the_smallest_pack_of_the_lowest_strength(client):
    drug = make_drug()

    root = page(client.get(drug.product.get_absolute_url()))

    assert selected_price(root) == (
        "10 mg, 30 tablets: $38.70 $1.29 per tablet "
        "Smallest pack: no multi-pack saving In stock"
    )


def test_default_choice_skips_an_out_of_stock_pack(client):
    drug = make_drug(prices={"10": {60: "65.40"}})
    make_pack(drug=drug, mg="10", tablets=30, price="38.70", stock=0)

    root = page(client.get(drug.product.get_absolute_url()))

    assert radios(root, "pack") == [("30", False), ("60", True)]
    assert selected_price(root).startswith("10 mg, 60 tablets: $65.40")


def test_query_string_preselects_a_pack_and_shows_its_prices(client):
    drug = make_drug()

    root = page(
        client.get(drug.product.get_absolute_url(), {"strength": "25", "pack": "90"})
    )

    assert radios(root, "strength") == [("10", False), ("25", True)]
    assert radios(root, "pack") == [
        ("30", False),
        ("60", False),
        ("90", True),
        ("360", False),
    ]
    assert selected_price(root) == (
        "25 mg, 90 tablets: $224.10 $2.49 per tablet "
        "You save $81.00 (27%) against the 30-tablet pack In stock"
    )


def test_query_string_strength_may_be_written_with_decimals(client):
    drug = make_drug()

    root = page(
        client.get(
            drug.product.get_absolute_url(), {"strength": "10.00", "pack": "360"}
        )
    )

    assert selected_price(root).startswith("10 mg, 360 tablets: $219.60")
    assert "You save $244.80 (53%) against the 30-tablet pack" in selected_price(root)


def test_query_string_can_preselect_an_out_of_stock_pack_and_says_so(client):
    drug = make_drug(prices={"10": {30: "38.70"}})
    make_pack(drug=drug, mg="10", tablets=60, price="65.40", stock=0)

    root = page(
        client.get(drug.product.get_absolute_url(), {"strength": "10", "pack": "60"})
    )

    assert selected_price(root).startswith("10 mg, 60 tablets: $65.40")
    assert selected_price(root).endswith("Out of stock")


@pytest.mark.parametrize(
    "query",
    [
        {"strength": "10", "pack": "90"},  # a combination that is not sold
        {"strength": "abc", "pack": "xyz"},
        {"strength": "NaN", "pack": "30"},
        {"strength": "sNaN", "pack": "30"},
        {"strength": "Infinity", "pack": "30"},
        {"strength": "1e999999", "pack": "30"},
        {"strength": "25", "pack": "1e5"},
        {"strength": "9" * 5000, "pack": "9" * 5000},
        {"strength": "25"},
        {"pack": "90"},
        {"strength": "", "pack": ""},
    ],
)
def test_unusable_query_string_falls_back_to_the_default_pack(client, query):
    drug = make_drug()

    root = page(client.get(drug.product.get_absolute_url(), query))

    assert radios(root, "strength") == [("10", True), ("25", False)]
    assert selected_price(root).startswith("10 mg, 30 tablets: $38.70")


def test_page_script_data_holds_each_packs_formatted_prices(client):
    drug = make_drug()

    data = variant_data(page(client.get(drug.product.get_absolute_url())))

    assert set(data) == {key for key, *_ in DEFAULT_CELLS}
    assert data["25-90"] == {
        "label": "25 mg, 90 tablets",
        "pack_price": "$224.10",
        "per_tablet": "$2.49",
        "saving_line": "You save $81.00 (27%) against the 30-tablet pack",
        "stock": "In stock",
        "available": True,
        # No acquisition cost recorded: no "How this price is made".
        "breakdown": False,
    }
    assert data["10-30"]["saving_line"] == "Smallest pack: no multi-pack saving"


# A strength withdrawn from our market


def test_withdrawn_strength_is_not_offered_in_the_radios(client):
    drug = make_drug(withdrawn=("25",))

    root = page(client.get(drug.product.get_absolute_url()))

    assert radios(root, "strength") == [("10", True)]
    # 90 tablets was only sold in 25 mg, so that size goes too.
    assert radios(root, "pack") == [("30", True), ("60", False), ("360", False)]


def test_withdrawn_strength_is_not_in_the_price_table_or_page_data(client):
    drug = make_drug(withdrawn=("25",))

    response = client.get(drug.product.get_absolute_url())
    root = page(response)

    assert row_headers(root) == ["10 mg"]
    assert set(price_cells(root)) == {"10-30", "10-60", "10-360"}
    assert set(variant_data(root)) == {"10-30", "10-60", "10-360"}
    content = response.content.decode()
    assert "$101.70" not in content
    assert "$224.10" not in content
    assert "25 mg" not in content


def test_withdrawn_strength_in_the_query_string_falls_back_to_the_default(client):
    drug = make_drug(withdrawn=("25",))

    root = page(
        client.get(drug.product.get_absolute_url(), {"strength": "25", "pack": "90"})
    )

    assert radios(root, "strength") == [("10", True)]
    assert selected_price(root).startswith("10 mg, 30 tablets: $38.70")


def test_withdrawn_strength_is_never_preselected_even_when_nothing_is_in_stock(client):
    drug = make_drug(
        prices={"10": {30: "38.70"}, "25": {30: "101.70"}}, withdrawn=("10",), stock=0
    )

    response = client.get(drug.product.get_absolute_url())

    assert response.status_code == 200
    assert "$38.70" not in response.content.decode()
    assert "10 mg" not in response.content.decode()


# The monograph


def test_monograph_sections_are_shown_in_position_order_with_linked_contents(client):
    drug = make_drug()
    # Created out of order on purpose: the page orders by position.
    MonographSectionFactory(
        drug=drug,
        position=2,
        anchor="side-effects",
        title="Side effects",
        body="- drowsiness\n- weakness",
    )
    MonographSectionFactory(
        drug=drug,
        position=0,
        anchor="uses",
        title="What it is used for",
        body="Muscle spasm.",
    )
    MonographSectionFactory(
        drug=drug,
        position=1,
        anchor="dosage",
        title="How to take it",
        body="Start low.\n\nIncrease slowly.",
    )

    root = page(client.get(drug.product.get_absolute_url()))

    toc = find_one(root, "nav", cls="toc")
    assert [(a.attrs["href"], text(a)) for a in find_all(toc, "a")] == [
        ("#uses", "What it is used for"),
        ("#dosage", "How to take it"),
        ("#side-effects", "Side effects"),
    ]
    sections = find_all(root, "section", cls="monograph-section")
    assert [s.attrs["id"] for s in sections] == ["uses", "dosage", "side-effects"]
    assert [text(find_one(s, "h3")) for s in sections] == [
        "What it is used for",
        "How to take it",
        "Side effects",
    ]
    assert [text(p) for p in find_all(sections[1], "p")][:2] == [
        "Start low.",
        "Increase slowly.",
    ]
    assert [text(li) for li in find_all(sections[2], "li")] == [
        "drowsiness",
        "weakness",
    ]


def test_every_contents_link_points_at_a_section_on_the_page(client):
    drug = make_drug(sections=4)

    root = page(client.get(drug.product.get_absolute_url()))

    links = [a.attrs["href"] for a in find_all(find_one(root, "nav", cls="toc"), "a")]
    ids = {el.attrs.get("id") for el in root.walk()}
    assert links == ["#part-0", "#part-1", "#part-2", "#part-3"]
    assert all(link[1:] in ids for link in links)


def test_monograph_text_is_escaped_on_the_page(client):
    drug = make_drug()
    MonographSectionFactory(drug=drug, body="<script>alert('x')</script>")

    response = client.get(drug.product.get_absolute_url())

    assert "<script>alert" not in response.content.decode()
    assert (
        "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in response.content.decode()
    )


def test_no_monograph_section_means_no_contents(client):
    drug = make_drug(sections=0)

    root = page(client.get(drug.product.get_absolute_url()))

    assert find_all(root, "nav", cls="toc") == []


# Prescription status


def test_prescription_only_badge_and_note_are_shown(client):
    drug = make_drug()

    root = page(client.get(drug.product.get_absolute_url()))

    intro = find_one(root, "div", cls="product-intro")
    assert [text(b) for b in find_all(intro, "span", cls="badge-rx")] == [
        "Prescription only"
    ]
    note = find_one(root, "aside", cls="rx-note")
    assert text(find_one(note, "h2")) == "This medicine needs a prescription"
    assert "Our pharmacist checks it before your order is dispatched" in text(note)
    assert "your card is not charged" in text(note)


def test_no_prescription_badge_or_note_for_an_over_the_counter_medicine(client):
    drug = make_drug()
    drug.prescription_required = False
    drug.save()

    root = page(client.get(drug.product.get_absolute_url()))

    assert find_all(root, "span", cls="badge-rx") == []
    assert find_all(root, "aside", cls="rx-note") == []


# URLs


def test_a_packs_own_url_redirects_to_the_drug_with_that_pack_chosen(client):
    drug = make_drug()
    child = Product.objects.get(parent=drug.product, upc__endswith="-25-90")

    response = client.get(child.get_absolute_url())

    assert response.status_code == 301
    assert response["Location"] == (
        f"{drug.product.get_absolute_url()}?strength=25&pack=90"
    )
    root = page(client.get(response["Location"]))
    assert selected_price(root).startswith("25 mg, 90 tablets: $224.10")


def test_a_fractional_strength_pack_redirects_with_its_strength_intact(client):
    drug = make_drug(prices={"2.5": {30: "12.00"}, "10": {30: "38.70"}})
    child = Product.objects.get(parent=drug.product, upc__endswith="-2.5-30")

    response = client.get(child.get_absolute_url())

    assert response.status_code == 301
    assert response["Location"].endswith("?strength=2.5&pack=30")
    root = page(client.get(response["Location"]))
    assert radios(root, "strength") == [("2.5", True), ("10", False)]


def test_a_wrong_slug_redirects_to_the_canonical_url(client):
    drug = make_drug()
    url = reverse(
        "catalogue:detail", kwargs={"product_slug": "wrong", "pk": drug.product.pk}
    )

    response = client.get(url)

    assert response.status_code == 301
    assert response["Location"] == drug.product.get_absolute_url()


def test_unknown_product_is_not_found(client):
    drug = make_drug()
    url = reverse(
        "catalogue:detail",
        kwargs={"product_slug": "baclofen", "pk": drug.product.pk + 10_000},
    )

    assert client.get(url).status_code == 404


def test_hidden_product_is_not_found(client):
    drug = make_drug()
    Product.objects.filter(pk=drug.product.pk).update(is_public=False)

    assert client.get(drug.product.get_absolute_url()).status_code == 404


# Listings
