"""A basket loads its lines with what the checkout reads from them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from oscar.apps.catalogue.models import Option

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


def test_without_product_options_lines_load_without_asking_for_attributes():
    basket = Basket.objects.create()
    basket.strategy = Selector().strategy()
    basket.add_product(pack_of(make_drug()), 1)
    fresh = reloaded(basket)
    fresh.all_lines()  # the "no options" answer is cached here

    fresh = reloaded(basket)
    with CaptureQueriesContext(connection) as ctx:
        (line,) = fresh.all_lines()
        assert list(line.attributes.all()) == []

    assert not any("basket_lineattribute" in q["sql"] for q in ctx.captured_queries)


def test_a_line_option_set_up_later_is_loaded_with_the_line():
    drug = make_drug()
    basket = Basket.objects.create()
    basket.strategy = Selector().strategy()
    reloaded(basket).all_lines()  # cache "no options" first

    note = Option.objects.create(name="Label note", code="label-note")
    basket.add_product(pack_of(drug), 1, options=[{"option": note, "value": "Large"}])

    (line,) = reloaded(basket).all_lines()
    assert [(a.option.code, a.value) for a in line.attributes.all()] == [
        ("label-note", "Large")
    ]
