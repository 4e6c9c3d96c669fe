"""A basket loads its lines with what the checkout reads from them."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from oscar.apps.catalogue.models import Option

from catalog import selectors
from catalog.models import Product
from catalog.partner.strategy import Selector
from checkout.basket.models import Basket
from tests.factories import make_drug

pytestmark = pytest.mark.django_db


def reloaded(basket: Basket) -> Basket:
    fresh = Basket.objects.get(pk=basket.pk)
    fresh.strategy = Selector().strategy()
    return fresh


def pack_of(drug):
    return drug.product.children.order_by("pk").first()


def test_a_line_option_set_up_later_is_loaded_with_the_line():
    drug = make_drug()
    basket = Basket.objects.create()
    basket.strategy = Selector().strategy()
    reloaded(basket).all_lines()

    note = Option.objects.create(name="Label note", code="label-note")
    basket.add_product(pack_of(drug), 1, options=[{"option": note, "value": "Large"}])

    (line,) = reloaded(basket).all_lines()
    assert [(a.option.code, a.value) for a in line.attributes.all()] == [
        ("label-note", "Large")
    ]


def test_lines_come_with_their_drug_and_pack_facts_in_a_fixed_number_of_queries():
    drug = make_drug()
    basket = Basket.objects.create()
    basket.strategy = Selector().strategy()
    basket.add_product(pack_of(drug), 2)

    fresh = reloaded(basket)
    with CaptureQueriesContext(connection) as ctx:
        (line,) = fresh.all_lines()
        assert line.product.parent.drug.generic_name == drug.generic_name
        assert line.product.get_product_class().requires_shipping
        assert selectors.variant_facts(product=line.product) == (Decimal("10"), 30)
        assert fresh.is_shipping_required()

    # The lines with their packs, drugs and classes, in one query: the packs'
    # strength and size, and whether the shop has options (without, lines
    # have no option values to read), come from the catalogue cache, which
    # the add filled.
    assert len(ctx.captured_queries) == 1


def test_a_drug_edited_in_the_admin_shows_in_baskets_at_once():
    drug = make_drug()
    basket = Basket.objects.create()
    basket.strategy = Selector().strategy()
    basket.add_product(pack_of(drug), 1)
    reloaded(basket).all_lines()

    drug.product.is_public = False
    drug.product.save()

    (line,) = reloaded(basket).all_lines()
    assert line.product.parent.is_public is False
    info = fresh_info(basket, line)
    assert not info.availability.is_available_to_buy


def test_placing_an_order_reads_the_lines_drugs_from_the_database():
    drug = make_drug()
    basket = Basket.objects.create()
    basket.strategy = Selector().strategy()
    basket.add_product(pack_of(drug), 1)
    reloaded(basket).all_lines()
    Product.objects.filter(pk=drug.product.pk).update(is_public=False)  # no signal

    placing = reloaded(basket)
    assert placing.all_lines()[0].product.parent.is_public is False


def fresh_info(basket, line):
    return Selector().strategy().fetch_for_line(line)


def test_two_baskets_each_load_their_own_lines_in_the_order_added():
    first_drug, second_drug = make_drug(), make_drug(title="Tizanidine")
    packs = list(first_drug.product.children.order_by("pk")[:2])
    one, two = Basket.objects.create(), Basket.objects.create()
    for basket in (one, two):
        basket.strategy = Selector().strategy()
    one.add_product(packs[1], 1)
    one.add_product(packs[0], 2)
    two.add_product(pack_of(second_drug), 3)

    loaded_one, loaded_two = reloaded(one), reloaded(two)

    assert [(ln.product.pk, ln.quantity) for ln in loaded_one.all_lines()] == [
        (packs[1].pk, 1),
        (packs[0].pk, 2),
    ]
    assert [(ln.product.pk, ln.quantity) for ln in loaded_two.all_lines()] == [
        (pack_of(second_drug).pk, 3)
    ]
    # Each line knows its basket without asking for it.
    assert all(ln.basket is loaded_one for ln in loaded_one.all_lines())


def test_a_basket_reread_after_a_change_shows_the_change():
    basket = Basket.objects.create()
    basket.strategy = Selector().strategy()
    basket.add_product(pack_of(make_drug()), 1)
    reloaded(basket).all_lines()

    basket.all_lines()[0].__class__.objects.filter(basket=basket).update(quantity=4)
    lines = reloaded(basket).all_lines()

    assert [ln.quantity for ln in lines] == [4]
    # The queryset around the rows is a real one: filtering it asks again.
    assert lines.filter(quantity=4).count() == 1
