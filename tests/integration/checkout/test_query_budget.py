"""Query budgets for the guest checkout, locked by tests: a whole order stays
within the benchmark's budget, and no checkout step costs more as the basket
grows. The benchmark (make bench) measures the same journey on PostgreSQL."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog.models import Drug
from tests.checkout_helpers import ADDRESS, ADULT_DOB, png_upload
from tests.factories import make_drug, many_packs, reference_data_ensure

# Measured on SQLite and PostgreSQL alike (110), with the product page stored
# in the shared page cache as on a live site and every other cached value
# empty, as after a deploy. A step with a basket reads the basket and its
# lines (with their packs, drugs and classes) from the database, and a
# drug's strengths and packs, the licensed states and whether offers or
# options exist through the catalogue cache, once each; a session write is
# one statement here (three on a live site: begin, update, commit). The
# uploaded prescription is a row of the database since its files moved there
# (checkout/dispensing/storage.py): Django asks the storage whether the name
# is free (two reads: a file, a folder) and the row is inserted in a
# savepoint, five statements where a file on disk took none; placing checks
# the order has a prescription source (one read).
ORDER_BUDGET = 116
# A new basket's add, with every cached value empty: the pack with its facts
# and stock records, the drug's strengths and packs, whether options and
# offers exist, Oscar's own read of the pack, the basket's insert, Oscar's
# two reads of its lines (all of them, and the line to add to), and the line
# saved in a transaction (savepoint, insert, release here).
BASKET_ADD_BUDGET = 13

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def production_like(private_root, tmp_path, settings):
    # Production keeps sessions in the cache, backed by the database.
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    settings.MEDIA_ROOT = tmp_path / "media"
    # The shipping country and state licences, as the other checkout tests
    # ensure them: in the full suite this test has found them missing.
    reference_data_ensure()


def add(client, drug, *, pack: int):
    url = reverse(
        "catalogue:add-variant",
        kwargs={"product_slug": drug.product.slug, "pk": drug.product.pk},
    )
    response = client.post(url, {"strength": "5", "pack": str(pack), "quantity": "1"})
    assert response.status_code == 302, response
    return response


def checkout_steps(client) -> list[tuple[str, callable]]:
    """The steps after the basket, in the order a shopper takes them."""
    return [
        ("start", lambda: client.get(reverse("checkout:index"))),
        (
            "gateway",
            lambda: client.post(
                reverse("checkout:index"),
                {"username": "guest@example.com", "options": "anonymous"},
            ),
        ),
        ("address", lambda: client.post(reverse("checkout:shipping-address"), ADDRESS)),
        (
            "delivery",
            lambda: client.post(
                reverse("checkout:shipping-method"), {"method_code": "standard"}
            ),
        ),
        (
            "patient",
            lambda: client.post(
                reverse("checkout:patient"),
                {
                    "full_name": "Alex Rivera",
                    "date_of_birth": ADULT_DOB.isoformat(),
                    "counselling": "no",
                },
            ),
        ),
        (
            "prescription",
            lambda: client.post(
                reverse("checkout:prescription"),
                {"source": "upload", "file": png_upload()},
            ),
        ),
        (
            "payment",
            lambda: client.post(
                reverse("checkout:payment-method"), {"method": "invoice"}
            ),
        ),
        ("preview", lambda: client.get(reverse("checkout:preview"))),
    ]


def step_queries(client) -> dict[str, int]:
    counts = {}
    for name, step in checkout_steps(client):
        counts[name], response = queries(step)
        assert response.status_code in (200, 302), (name, response.status_code)
    return counts


def queries(action) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as ctx:
        response = action()
    return len(ctx.captured_queries), response


def test_a_whole_guest_order_stays_within_the_query_budget(client):
    drug = make_drug(prices=many_packs(strengths=1, pack_sizes=1))
    product_url = drug.product.get_absolute_url()
    client.get(product_url)  # the page is cached as on a live site

    product_page, _ = queries(lambda: client.get(product_url))
    basket_add, _ = queries(lambda: add(client, drug, pack=30))
    steps = step_queries(client)
    placing, done = queries(
        lambda: client.post(
            reverse("checkout:preview"), {"action": "place_order"}, follow=True
        )
    )

    assert re.search(r"order \d+ is received", done.content.decode())
    total = product_page + basket_add + sum(steps.values()) + placing
    assert total <= ORDER_BUDGET, (product_page, basket_add, steps, placing)
    assert basket_add <= BASKET_ADD_BUDGET


def test_no_checkout_step_costs_more_queries_as_the_basket_grows(client):
    drug = make_drug(prices=many_packs(strengths=1, pack_sizes=4))
    add(client, drug, pack=30)
    client.get(reverse("basket:summary"))  # as a browser follows the redirect
    step_queries(client)  # fills the caches a running shop has filled

    client.cookies.clear()
    add(client, drug, pack=30)
    client.get(reverse("basket:summary"))
    one_line = step_queries(client)

    client.cookies.clear()
    for pack in (30, 60, 90, 120):
        add(client, drug, pack=pack)
    client.get(reverse("basket:summary"))
    four_lines = step_queries(client)

    assert four_lines == one_line


def test_placing_an_order_costs_the_same_however_many_drugs_the_shop_sells(client):
    def placing_queries(client) -> int:
        drug = make_drug(
            title=f"Drug {Drug.objects.count()}",
            prices=many_packs(strengths=1, pack_sizes=1),
        )
        add(client, drug, pack=30)
        step_queries(client)
        count, done = queries(
            lambda: client.post(
                reverse("checkout:preview"), {"action": "place_order"}, follow=True
            )
        )
        assert re.search(r"order \d+ is received", done.content.decode())
        client.cookies.clear()
        return count

    for _ in range(2):  # fills the caches a running shop has filled
        placing_queries(client)
    few = placing_queries(client)
    for i in range(20):
        make_drug(title=f"Other {i}", prices=many_packs(strengths=2, pack_sizes=1))

    assert placing_queries(client) == few
