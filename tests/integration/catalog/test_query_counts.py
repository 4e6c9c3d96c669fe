"""Catalogue pages make a fixed number of queries, however many packs a drug has
and however many drugs are listed.

Every product here has an image, so sorl-thumbnail's path is counted too. Each
page is requested once to warm up before counting: the first request draws the
thumbnails (sorl writes them to its key-value store in the database and to the
locmem cache) and sets up the anonymous visitor's cookies. The second, counted
request is what every later visitor costs. The cache is cleared around each test,
and media go to a temporary folder, so one test's thumbnails cannot warm another's.
"""

import io
import re

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from catalog.models import ProductImage
from tests.factories import make_drug, many_packs

pytestmark = pytest.mark.django_db

MAX_QUERIES = 10


@pytest.fixture(autouse=True)
def fresh_cache_and_media(settings, tmp_path):
    """Each test draws its thumbnails afresh, into its own media folder."""
    settings.MEDIA_ROOT = str(tmp_path)
    cache.clear()
    yield
    cache.clear()


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (48, 48), "#336699").save(buffer, format="PNG")
    return buffer.getvalue()


def drug_with_image(**kwargs):
    drug = make_drug(**kwargs)
    ProductImage.objects.create(
        product=drug.product,
        original=ContentFile(_png(), name="pack.png"),
        caption="Pack",
        display_order=0,
    )
    return drug


def warm_up(client, url: str) -> None:
    """First request: draws thumbnails and sets cookies; not counted."""
    assert client.get(url).status_code == 200


def count_queries(client, url: str):
    """Queries made by an anonymous visitor's request, after a warm-up request."""
    warm_up(client, url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries.captured_queries), response


def sold_cells(response) -> int:
    return len(re.findall(r'<td data-variant="[^"]+">', response.content.decode()))


def cards(response) -> int:
    return response.content.decode().count('<article class="card">')


def test_product_page_queries_do_not_grow_with_the_number_of_packs(
    client, django_assert_num_queries
):
    few = drug_with_image(
        title="Fewpacks", prices=many_packs(strengths=2, pack_sizes=7), sections=3
    )
    many = drug_with_image(
        title="Manypacks", prices=many_packs(strengths=10, pack_sizes=14), sections=3
    )

    few_queries, few_page = count_queries(client, few.product.get_absolute_url())

    warm_up(client, many.product.get_absolute_url())
    with django_assert_num_queries(few_queries):
        many_page = client.get(many.product.get_absolute_url())

    # The pages really did price every pack, with its thumbnail.
    assert sold_cells(few_page) == 14
    assert sold_cells(many_page) == 140
    assert "/media/cache/" in many_page.content.decode()
    assert few_queries <= MAX_QUERIES


def test_product_page_with_a_chosen_pack_makes_no_extra_queries(client):
    drug = drug_with_image(prices=many_packs(strengths=10, pack_sizes=14), sections=3)
    url = drug.product.get_absolute_url()

    # A chosen pack renders fresh (not from the shared page cache), so it is
    # compared with choosing the default pack, which renders fresh too.
    plain, _ = count_queries(client, f"{url}?strength=5&pack=30")
    chosen, response = count_queries(client, f"{url}?strength=50&pack=420")

    assert chosen == plain
    assert 'value="50" required checked' in response.content.decode()


def test_product_page_first_visit_is_the_warm_up(client):
    # Shows why the counts above skip the first request: drawing the thumbnail
    # costs queries once, and only once.
    drug = drug_with_image()
    url = drug.product.get_absolute_url()

    with CaptureQueriesContext(connection) as first:
        client.get(url)
    with CaptureQueriesContext(connection) as second:
        client.get(url)
    with CaptureQueriesContext(connection) as third:
        client.get(url)

    assert len(first) > len(second)
    assert len(second) == len(third) <= MAX_QUERIES


@pytest.mark.parametrize(
    ("url_name", "shown_of_ten"), [("catalogue:index", 10), ("home", 6)]
)
def test_listing_queries_do_not_grow_with_the_number_of_drugs(
    client, django_assert_num_queries, url_name, shown_of_ten
):
    url = reverse(url_name)
    drug_with_image(title="Drug 0", sections=1)

    one_queries, one_page = count_queries(client, url)

    for i in range(1, 10):
        drug_with_image(
            title=f"Drug {i}",
            prices=many_packs(strengths=1 + i % 3, pack_sizes=3 + i),
            sections=1,
        )
    cache.clear()
    warm_up(client, url)
    with django_assert_num_queries(one_queries):
        ten_page = client.get(url)

    assert cards(one_page) == 1
    assert cards(ten_page) == shown_of_ten
    assert ten_page.content.decode().count("per tablet") == shown_of_ten
    assert one_queries <= MAX_QUERIES


def test_basket_page_queries_do_not_grow_with_the_number_of_lines(
    client, django_assert_num_queries
):
    drug = make_drug(prices=many_packs(strengths=1, pack_sizes=5))
    add_url = reverse(
        "catalogue:add-variant",
        kwargs={"product_slug": drug.product.slug, "pk": drug.product.pk},
    )
    url = reverse("basket:summary")

    client.post(add_url, {"strength": "5", "pack": "30", "quantity": "1"})
    one_line, one_page = count_queries(client, url)

    for tablets in (60, 90, 120, 150):
        client.post(add_url, {"strength": "5", "pack": str(tablets), "quantity": "1"})
    warm_up(client, url)
    with django_assert_num_queries(one_line):
        five_page = client.get(url)

    assert one_page.content.decode().count('<tr data-line="') == 1
    assert five_page.content.decode().count('<tr data-line="') == 5


def test_product_page_with_a_cold_cache_stays_within_budget_and_constant(client):
    """Every cache emptied (catalogue data and thumbnail lookups): the page
    recomputes everything, still in a fixed number of queries."""
    from django.core.cache import caches

    counts = []
    for title, grid in (
        ("Coldfew", many_packs(strengths=2, pack_sizes=7)),
        ("Coldmany", many_packs(strengths=10, pack_sizes=14)),
    ):
        url = drug_with_image(
            title=title, prices=grid, sections=3
        ).product.get_absolute_url()
        warm_up(client, url)
        caches["default"].clear()
        caches["catalog"].clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries.captured_queries))

    assert counts[0] == counts[1]
    assert counts[0] <= MAX_QUERIES


def test_product_page_with_a_warm_cache_reads_only_the_product(client):
    drug = drug_with_image(sections=3)
    url = drug.product.get_absolute_url()
    warm_up(client, url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    # The whole page, from the cache: title, prices and monograph all there.
    assert response.status_code == 200
    html = response.content.decode()
    assert drug.product.title in html
    assert "$38.70" in html  # make_drug's 10 mg, 30 tablets
    assert "Part 2" in html  # the last monograph section
    # The product with its image; price table, monograph and reviews from cache.
    tables = {
        q["sql"].split('FROM "')[1].split('"')[0] for q in queries if "FROM" in q["sql"]
    }
    assert "partner_stockrecord" not in " ".join(tables)
    assert "catalogue_monographsection" not in tables
