"""In-process numbers for the benchmark: queries per page with a cold cache,
queries per guest order, and the median time of a guest order, measured with
Django's test client against the benchmark database. Prints JSON.

``inprocess.py PRODUCT --catalogue OTHER_PRODUCT`` measures only the catalogue
side (list pages, two product pages, search), for the many-drugs run."""

import functools
import io
import json
import re
import statistics
import sys
import time

import django

django.setup()

from django.core.cache import caches  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from PIL import Image  # noqa: E402

PRODUCT = (
    sys.argv[1]
    if len(sys.argv) > 1 and sys.argv[1].startswith("/")
    else "/catalogue/baclofen_1/"
)
SEARCHES = ("baclofen", "tizanidine", "alabalol", "pril", "muscle", "tor")
ADDRESS = {
    "first_name": "Bench",
    "last_name": "Shopper",
    "line1": "1 Main Street",
    "line4": "Springfield",
    "state": "IL",
    "postcode": "62701",
}


def png():
    buf = io.BytesIO()
    Image.new("RGB", (64, 48), "white").save(buf, format="PNG")
    buf.seek(0)
    buf.name = "rx.png"
    return buf


def cold_queries(client: Client, path: str) -> int:
    client.get(path)  # thumbnails drawn once, as on a live site
    caches["default"].clear()
    caches["catalog"].clear()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return len(ctx.captured_queries)


def guest_order(client: Client, *, follow: bool = False) -> str:
    """A guest's order, paid by invoice. With follow, each POST follows its
    redirect to the next page, as a browser and the locustfile do."""
    post = functools.partial(client.post, follow=follow)
    client.get(PRODUCT)
    post(PRODUCT + "add/", {"strength": "10", "pack": "30", "quantity": "1"})
    client.get("/checkout/")
    post("/checkout/", {"username": "bench@example.com", "options": "anonymous"})
    post("/checkout/shipping-address/", ADDRESS)
    post("/checkout/shipping-method/", {"method_code": "standard"})
    post(
        "/checkout/patient/",
        {
            "full_name": "Bench Shopper",
            "date_of_birth": "1980-05-17",
            "counselling": "no",
        },
    )
    post("/checkout/prescription/", {"source": "upload", "file": png()})
    post("/checkout/payment-method/", {"method": "invoice"})
    if not follow:
        client.get("/checkout/preview/")  # followed, the redirect showed it
    response = client.post("/checkout/preview/", {"action": "place_order"}, follow=True)
    match = re.search(r"order (\d+) is received", response.content.decode())
    assert match, "guest order was not placed"
    return match.group(1)


def search_ms_median(client: Client, rounds: int = 5) -> float | None:
    """Median time of /search/?q=... over a few words, or None if the shop
    has no search page."""
    if client.get("/search/?q=baclofen").status_code != 200:
        return None
    timings = []
    for _ in range(rounds):
        for word in SEARCHES:
            start = time.perf_counter()
            response = client.get("/search/", {"q": word})
            timings.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, word
    return round(statistics.median(timings), 1)


def catalogue_figures(other_product: str) -> dict:
    pages = {}
    for name, path in (
        ("catalogue", "/catalogue/"),
        ("catalogue, page 20", "/catalogue/?page=20"),
        ("product", PRODUCT),
        ("product (a generated drug)", other_product),
    ):
        pages[name] = cold_queries(Client(), path)
    return {
        "queries_per_page_cold_cache": pages,
        "search_ms_median": search_ms_median(Client()),
    }


def main() -> None:
    if "--catalogue" in sys.argv:
        other = sys.argv[sys.argv.index("--catalogue") + 1]
        print(json.dumps(catalogue_figures(other)))
        return
    pages = {}
    for name, path in (
        ("home", "/"),
        ("catalogue", "/catalogue/"),
        ("product", PRODUCT),
    ):
        pages[name] = cold_queries(Client(), path)
    basket_client = Client()
    basket_client.post(
        PRODUCT + "add/", {"strength": "10", "pack": "30", "quantity": "1"}
    )
    pages["basket (1 line)"] = cold_queries(basket_client, "/basket/")

    # One client, as one app server: a new test client would load the
    # middleware again (WhiteNoise indexes every static file), which a server
    # does once per process. Clearing the cookies makes each order a new guest.
    shopper = Client()
    # The first order after the caches were emptied above, then the next one:
    # what every order after the first costs on a running shop.
    counts = []
    for _ in range(2):
        shopper.cookies.clear()
        with CaptureQueriesContext(connection) as ctx:
            guest_order(shopper)
        counts.append(len(ctx.captured_queries))
    cold_order_queries, order_queries = counts

    timings = []
    for _ in range(20):
        shopper.cookies.clear()
        start = time.perf_counter()
        guest_order(shopper)
        timings.append((time.perf_counter() - start) * 1000)
    print(
        json.dumps(
            {
                "queries_per_page_cold_cache": pages,
                "queries_per_guest_order": order_queries,
                "queries_per_guest_order_cold_cache": cold_order_queries,
                "guest_order_ms_median": round(statistics.median(timings), 1),
                "guest_order_ms_all": [round(t, 1) for t in timings],
                "search_ms_median": search_ms_median(Client()),
            }
        )
    )


if __name__ == "__main__":
    main()
