"""The synthetic catalogue (generate_catalogue --drugs N) for benchmarks: every
drug complete and sellable, and catalogue pages whose query count does not grow
with the number of drugs."""

from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from oscar.core.loading import get_class

from catalog.drug_rules import drug_missing_items
from catalog.models import Drug, Product
from catalog.synthetic import synthetic_catalogue_generate, synthetic_name

pytestmark = pytest.mark.django_db

Selector = get_class("partner.strategy", "Selector")
LIST_MAX_QUERIES = 10


def cold_queries(path: str) -> int:
    """Queries of an anonymous visitor's request with every cache empty."""
    caches["default"].clear()
    caches["catalog"].clear()
    with CaptureQueriesContext(connection) as queries:
        response = Client().get(path)
    assert response.status_code == 200, path
    return len(queries.captured_queries)


def test_the_command_adds_complete_sellable_drugs():
    out = StringIO()
    call_command("generate_catalogue", "--drugs", "3", stdout=out)

    assert "Added 3 synthetic drugs with 42 packs." in out.getvalue()
    drugs = list(Drug.objects.select_related("product"))
    assert len(drugs) == 3
    strategy = Selector().strategy()
    for drug in drugs:
        assert drug_missing_items(drug=drug) == [
            "an image (upload one or draw the pack image)"
        ]
        assert drug.sections.count() == 4
        children = Product.objects.filter(parent=drug.product)
        assert children.count() == 14
        for child in children:
            info = strategy.fetch_for_product(child)
            assert info.availability.is_available_to_buy
            assert info.price.excl_tax > 0
        page = Client().get(drug.product.get_absolute_url())
        assert page.status_code == 200
        assert page.content.decode().count("<td data-variant=") == 14


def test_running_again_adds_more_with_new_names():
    synthetic_catalogue_generate(drugs=2)
    synthetic_catalogue_generate(drugs=2)

    titles = list(Product.objects.filter(parent=None).values_list("title", flat=True))
    assert len(titles) == len(set(titles)) == 4


def test_catalogue_list_costs_the_same_for_few_and_many_drugs():
    synthetic_catalogue_generate(drugs=3)
    few = cold_queries(reverse("catalogue:index"))

    synthetic_catalogue_generate(drugs=60)  # three pages of 20
    many = cold_queries(reverse("catalogue:index"))
    last_page = cold_queries(reverse("catalogue:index") + "?page=3")

    assert few == many == last_page
    assert many <= LIST_MAX_QUERIES


def test_product_page_costs_the_same_with_one_drug_as_with_many():
    synthetic_catalogue_generate(drugs=1)
    first = Drug.objects.get().product
    alone = cold_queries(first.get_absolute_url())

    synthetic_catalogue_generate(drugs=60)

    assert cold_queries(first.get_absolute_url()) == alone


def test_the_planner_has_statistics_of_the_generated_rows():
    """Without them (autovacuum off or not yet run) PostgreSQL plans a page of
    catalogue cards as if the tables were empty: hundreds of times slower."""
    if connection.vendor != "postgresql":
        pytest.skip("planner statistics are PostgreSQL's")
    synthetic_catalogue_generate(drugs=5)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT concat(histogram_bounds::text, most_common_vals::text)"
            " FROM pg_stats WHERE tablename = 'catalogue_drug'"
            " AND attname = 'generic_name'"
        )
        row = cursor.fetchone()
    assert row is not None
    assert synthetic_name(0).lower() in row[0]


def test_make_run_never_loads_the_synthetic_catalogue():
    makefile = (Path(settings.BASE_DIR) / "Makefile").read_text()
    assert "generate_catalogue" not in makefile.split("bench:")[0]
