"""Adding a pack to the basket by strength and pack size, and every way a post can
be wrong: each is refused with a message (or a 404), never a 500, and the basket
is left exactly as it was."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse
from oscar.core.loading import get_model

from catalog.models import Product, Strength
from catalog.partner.models import StockRecord
from tests.factories import make_drug, make_pack
from tests.integration.catalog.basket_helpers import (
    add,
    add_url,
    basket_rows,
    error_messages,
    lines,
    pack,
    success_messages,
    texts,
)

pytestmark = pytest.mark.django_db

Basket = get_model("basket", "Basket")

NOT_AVAILABLE = (
    "Sorry, that strength and pack size is not available. Please choose another."
)
MAX = settings.OSCAR_MAX_BASKET_QUANTITY_THRESHOLD


# Adding


def test_add_puts_the_chosen_pack_and_quantity_in_the_basket(client, drug):
    response = client.post(
        add_url(drug.product), {"strength": "25", "pack": "90", "quantity": "2"}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("basket:summary")
    assert lines() == [(pack(drug, "25", 90).pk, 2, Decimal("224.10"))]
    basket = Basket.objects.get()
    assert basket.num_items == 2
    assert basket.lines.get().product.parent_id == drug.product.pk


def test_add_says_what_was_added(client, drug):
    response = add(client, drug.product, strength="25", pack="90", quantity="2")

    assert response.redirect_chain == [(reverse("basket:summary"), 302)]
    assert error_messages(response) == []
    (message,) = success_messages(response)
    assert "2 copies of Baclofen 25 mg, 90 tablets have been added" in message


@pytest.mark.parametrize("strength", ["10", "10.0", "10.00", " 10 "])
def test_add_accepts_the_strength_however_its_decimals_are_written(
    client, drug, strength
):
    add(client, drug.product, strength=strength, pack="360", quantity="1")

    assert lines() == [(pack(drug, "10", 360).pk, 1, Decimal("219.60"))]


def test_add_a_fractional_strength(client):
    drug = make_drug(prices={"2.5": {30: "12.00"}, "10": {30: "38.70"}})

    add(client, drug.product, strength="2.5", pack="30", quantity="3")

    assert lines() == [(pack(drug, "2.5", 30).pk, 3, Decimal("12.00"))]


def test_add_up_to_the_maximum_quantity(client, drug):
    add(client, drug.product, strength="10", pack="30", quantity=str(MAX))

    assert lines() == [(pack(drug, "10", 30).pk, MAX, Decimal("38.70"))]


def test_adding_another_pack_adds_a_line(client, drug, seeded):
    add(client, drug.product, strength="25", pack="30", quantity="1")

    assert lines() == [
        *seeded,
        (pack(drug, "25", 30).pk, 1, Decimal("101.70")),
    ]


def test_basket_page_shows_strength_pack_size_per_tablet_price_and_line_total(
    client, drug
):
    add(client, drug.product, strength="25", pack="90", quantity="3")
    response = add(client, drug.product, strength="10", pack="360", quantity="1")

    assert basket_rows(response) == [
        [
            "Baclofen Prescription only",
            "25 mg",
            "90 tablets",
            "$2.49",
            "$224.10",
            "Packs of Baclofen 25 mg, 90 tablets [3]",
            "$672.30",
            "Remove Baclofen 25 mg, 90 tablets",
        ],
        [
            "Baclofen Prescription only",
            "10 mg",
            "360 tablets",
            "$0.61",
            "$219.60",
            "Packs of Baclofen 10 mg, 360 tablets [1]",
            "$219.60",
            "Remove Baclofen 10 mg, 360 tablets",
        ],
    ]
    assert texts(response, "basket-total") == ["$891.90"]
    assert "Total for 4 packs" in response.content.decode()


def test_preview_shows_the_choice_without_adding_it(client, drug):
    response = client.post(
        add_url(drug.product),
        {"strength": "25", "pack": "90", "quantity": "1", "preview": "1"},
    )

    assert response.status_code == 302
    assert response["Location"] == (
        f"{drug.product.get_absolute_url()}?strength=25&pack=90#buy"
    )
    assert lines() == []


def test_preview_of_a_pack_we_do_not_sell_says_so(client, drug):
    response = client.post(
        add_url(drug.product),
        {"strength": "10", "pack": "90", "quantity": "1", "preview": "1"},
        follow=True,
    )

    assert lines() == []
    assert error_messages(response) == [NOT_AVAILABLE]


def test_an_add_reads_the_catalogue_as_the_database_has_it_now(client, drug):
    # Warm caches first; then changes that bump no cache version.
    add(client, drug.product, strength="10", pack="30", quantity="1")
    StockRecord.objects.filter(product=pack(drug, "10", 60)).update(price="70.00")
    Strength.objects.filter(drug=drug, mg=25).update(is_available=False)

    add(client, drug.product, strength="10", pack="60", quantity="1")
    refused = add(client, drug.product, strength="25", pack="90", quantity="1")

    assert error_messages(refused) == [NOT_AVAILABLE]
    assert lines() == [
        (pack(drug, "10", 30).pk, 1, Decimal("38.70")),
        (pack(drug, "10", 60).pk, 1, Decimal("70.00")),
    ]


def test_a_strength_no_longer_approved_in_our_market_is_refused_at_once(
    client, drug, settings
):
    settings.PHARMACY_MARKET = "US"
    add(client, drug.product, strength="25", pack="90", quantity="1")
    Strength.objects.filter(drug=drug, mg=25).update(approved_markets="GB")

    response = add(client, drug.product, strength="25", pack="30", quantity="1")

    assert error_messages(response) == [
        f"Not sold in the US: 25 mg {drug.generic_name} tablets are not "
        "approved in the US."
    ]
    assert lines() == [(pack(drug, "25", 90).pk, 1, Decimal("224.10"))]


@pytest.mark.django_db(transaction=True)
def test_an_add_after_the_database_connection_was_replaced_still_works(client):
    drug = make_drug()
    add(client, drug.product, strength="10", pack="30", quantity="1")
    connection.close()

    add(client, drug.product, strength="25", pack="90", quantity="1")

    assert lines() == [
        (pack(drug, "10", 30).pk, 1, Decimal("38.70")),
        (pack(drug, "25", 90).pk, 1, Decimal("224.10")),
    ]


# Refused: unknown products and the wrong method


def test_unknown_product_is_not_found_and_adds_nothing(client, drug, seeded):
    url = reverse(
        "catalogue:add-variant",
        kwargs={"product_slug": "baclofen", "pk": drug.product.pk + 10_000},
    )

    response = client.post(url, {"strength": "10", "pack": "30", "quantity": "1"})

    assert response.status_code == 404
    assert lines() == seeded


@pytest.mark.parametrize("pk", ["9" * 12, "9" * 5000])
def test_an_id_beyond_any_the_database_holds_is_not_found(client, drug, seeded, pk):
    url = reverse(
        "catalogue:add-variant", kwargs={"product_slug": "baclofen", "pk": pk}
    )

    response = client.post(url, {"strength": "10", "pack": "30", "quantity": "1"})

    assert response.status_code == 404
    assert lines() == seeded


def test_a_packs_own_id_is_not_a_product_to_add_by_strength(client, drug, seeded):
    child = pack(drug, "10", 30)

    response = client.post(
        add_url(child), {"strength": "10", "pack": "30", "quantity": "1"}
    )

    assert response.status_code == 404
    assert lines() == seeded


def test_hidden_product_is_not_found_and_adds_nothing(client, drug, seeded):
    Product.objects.filter(pk=drug.product.pk).update(is_public=False)

    response = client.post(
        add_url(drug.product), {"strength": "10", "pack": "30", "quantity": "1"}
    )

    assert response.status_code == 404
    assert lines() == seeded


def test_get_on_the_add_url_is_method_not_allowed(client, drug):
    response = client.get(add_url(drug.product))

    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert lines() == []


# Refused with a message: the pack


@pytest.mark.parametrize(
    ("strength", "tablets"),
    [("10", "90"), ("25", "360"), ("10", "45"), ("15", "30"), ("25.5", "30")],
)
def test_a_pack_we_do_not_sell_is_refused(client, drug, seeded, strength, tablets):
    response = add(client, drug.product, strength=strength, pack=tablets, quantity="1")

    assert response.redirect_chain == [(drug.product.get_absolute_url(), 302)]
    assert error_messages(response) == [NOT_AVAILABLE]
    assert lines() == seeded


def test_a_pack_of_a_withdrawn_strength_is_refused(client):
    drug = make_drug(withdrawn=("25",))

    response = add(client, drug.product, strength="25", pack="90", quantity="1")

    assert response.redirect_chain == [(drug.product.get_absolute_url(), 302)]
    assert error_messages(response) == [NOT_AVAILABLE]
    assert lines() == []


def test_a_hidden_pack_is_refused(client, drug, seeded):
    Product.objects.filter(pk=pack(drug, "25", 90).pk).update(is_public=False)

    response = add(client, drug.product, strength="25", pack="90", quantity="1")

    assert error_messages(response) == [NOT_AVAILABLE]
    assert lines() == seeded


def test_an_out_of_stock_pack_cannot_be_added(client, drug, seeded):
    make_pack(drug=drug, mg="10", tablets=90, price="110.00", stock=0)

    response = add(client, drug.product, strength="10", pack="90", quantity="1")

    assert response.redirect_chain == [(drug.product.get_absolute_url(), 302)]
    assert error_messages(response) == ["no stock available"]
    assert lines() == seeded


def test_more_packs_than_in_stock_cannot_be_added(client, drug, seeded):
    make_pack(drug=drug, mg="10", tablets=90, price="110.00", stock=3)

    response = add(client, drug.product, strength="10", pack="90", quantity="4")

    assert error_messages(response) == ["a maximum of 3 can be bought"]
    assert lines() == seeded


# Refused with a message: the quantity


@pytest.mark.parametrize(
    ("quantity", "message"),
    [
        ("0", "Choose at least one pack."),
        ("-1", "Choose at least one pack."),
        ("-999999999999999999999", "Choose at least one pack."),
        ("abc", "Enter the number of packs as a whole number."),
        ("NaN", "Enter the number of packs as a whole number."),
        ("Infinity", "Enter the number of packs as a whole number."),
        ("1e999", "Enter the number of packs as a whole number."),
        ("1.5", "Enter the number of packs as a whole number."),
        ("1" * 10_000, "Enter the number of packs as a whole number."),
        ("", "Please enter how many packs you want."),
        ("   ", "Enter the number of packs as a whole number."),
    ],
)
def test_a_bad_quantity_is_refused_with_a_message(
    client, drug, seeded, quantity, message
):
    response = add(client, drug.product, strength="25", pack="90", quantity=quantity)

    assert response.status_code == 200
    assert response.redirect_chain == [(drug.product.get_absolute_url(), 302)]
    assert error_messages(response) == [message]
    assert lines() == seeded


@pytest.mark.parametrize("quantity", [MAX, MAX + 1, 10**30])
def test_more_than_the_basket_maximum_is_refused(client, drug, seeded, quantity):
    # The basket already holds one pack, so even MAX more is one too many.
    response = add(
        client, drug.product, strength="25", pack="90", quantity=str(quantity)
    )

    (message,) = error_messages(response)
    assert message.startswith(
        f"Due to technical limitations we are not able to ship more than {MAX} "
        "items in one order."
    )
    assert "currently has 1 items" in message
    assert lines() == seeded


# Refused with a message: the strength and pack fields


@pytest.mark.parametrize(
    ("data", "messages"),
    [
        ({"strength": "abc"}, ["Please choose a strength from the list."]),
        ({"strength": "NaN"}, ["Please choose a strength from the list."]),
        ({"strength": "sNaN"}, ["Please choose a strength from the list."]),
        ({"strength": "-Infinity"}, ["Please choose a strength from the list."]),
        ({"strength": "x" * 10_000}, ["Please choose a strength from the list."]),
        ({"pack": "abc"}, ["Please choose a pack size from the list."]),
        ({"pack": "NaN"}, ["Please choose a pack size from the list."]),
        ({"pack": "1e999"}, ["Please choose a pack size from the list."]),
        ({"pack": "9" * 10_000}, ["Please choose a pack size from the list."]),
        ({"strength": ""}, ["Please choose a strength."]),
        ({"pack": ""}, ["Please choose a pack size."]),
        (
            {"strength": "abc", "pack": "abc", "quantity": "abc"},
            [
                "Please choose a strength from the list.",
                "Please choose a pack size from the list.",
                "Enter the number of packs as a whole number.",
            ],
        ),
    ],
)
def test_a_bad_strength_or_pack_is_refused_with_a_message(
    client, drug, seeded, data, messages
):
    response = add(
        client,
        drug.product,
        **{"strength": "25", "pack": "90", "quantity": "1", **data},
    )

    assert response.redirect_chain == [(drug.product.get_absolute_url(), 302)]
    assert error_messages(response) == messages
    assert lines() == seeded


@pytest.mark.parametrize(
    "data",
    [
        {"strength": "1e999"},
        {"strength": "9" * 10_000},
        {"strength": "1e-999"},
        {"strength": "0"},
        {"strength": "10.001"},
        {"pack": "0"},
        {"pack": "-30"},
        {"pack": "99999"},
    ],
)
def test_an_out_of_range_strength_or_pack_is_refused(client, drug, seeded, data):
    response = add(
        client,
        drug.product,
        **{"strength": "10", "pack": "30", "quantity": "1", **data},
    )

    assert response.redirect_chain == [(drug.product.get_absolute_url(), 302)]
    assert len(error_messages(response)) == 1
    assert error_messages(response)[0]
    assert lines() == seeded


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"strength": "1e999"}, "Please choose a strength from the list."),
        ({"strength": "0"}, "Please choose a strength from the list."),
        ({"strength": "10.001"}, "Please choose a strength from the list."),
        ({"pack": "0"}, "Please choose a pack size from the list."),
        ({"pack": "99999"}, "Please choose a pack size from the list."),
    ],
)
def test_an_out_of_range_strength_or_pack_gets_a_shopper_friendly_message(
    client, drug, data, message
):
    response = add(
        client,
        drug.product,
        **{"strength": "10", "pack": "30", "quantity": "1", **data},
    )

    assert error_messages(response) == [message]


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("strength", "Please choose a strength."),
        ("pack", "Please choose a pack size."),
        ("quantity", "Please enter how many packs you want."),
    ],
)
def test_a_missing_field_is_refused_with_a_message(
    client, drug, seeded, missing, message
):
    data = {"strength": "25", "pack": "90", "quantity": "1"}
    del data[missing]

    response = add(client, drug.product, **data)

    assert response.redirect_chain == [(drug.product.get_absolute_url(), 302)]
    assert error_messages(response) == [message]
    assert lines() == seeded


def test_an_empty_post_lists_every_missing_field(client, drug, seeded):
    response = client.post(add_url(drug.product), {}, follow=True)

    assert error_messages(response) == [
        "Please choose a strength.",
        "Please choose a pack size.",
        "Please enter how many packs you want.",
    ]
    assert lines() == seeded


# Oscar's own add URL, posted by hand
