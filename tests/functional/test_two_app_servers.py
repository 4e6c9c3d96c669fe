"""The store on two app servers, as behind a load balancer.

Two gunicorn instances (A and B, production settings, two sync workers each)
share one PostgreSQL database and one Redis; see conftest.py. Shoppers are
plain HTTP clients (requests) with their own cookie jars, posting the forms
the pages serve, CSRF token included, as a browser without JavaScript would.
"""

import html
import re
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
import requests
from django.urls import reverse
from oscar.apps.address.models import Country
from oscar.apps.order.models import Order

from catalog.models import Product
from catalog.partner.models import StockRecord
from checkout.basket.models import Basket
from checkout.dispensing.models import PatientDetails, Prescription
from checkout.orders.models import CheckoutAttempt
from tests.checkout_helpers import ADDRESS, ADULT_DOB, png_upload
from tests.factories import make_drug, reference_data_ensure

# Committed data: the app servers have their own database connections.
pytestmark = pytest.mark.django_db(transaction=True)

PACK_PRICE = Decimal("38.70")
STANDARD_DELIVERY = Decimal("4.95")
ORDER_TOTAL = PACK_PRICE + STANDARD_DELIVERY
AWAITING_REVIEW = "Awaiting prescription review"
# Django's cache key for a cached_db session, under the prod cache's KEY_PREFIX.
SESSION_CACHE_KEY = "pharmacy:1:django.contrib.sessions.cached_db{}"

BUYERS = 50
LAST_PACKS = 10
PREPARING_AT_ONCE = 10

TIMEOUT = (5, 90)  # seconds: connect, then read
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
THANK_YOU = re.compile(r"Thank you: order (\w+) is received")
MESSAGES = re.compile(
    r'class="[^"]*\b(?:message|errorlist|error)\b[^"]*"[^>]*>(.*?)</(?:div|ul|p|li)>',
    re.S,
)
TAGS = re.compile(r"<[^>]+>")
PNG = png_upload().read()


# -- A shopper: one cookie jar, sent to any server -----------------------------


def path_of(response: requests.Response) -> str:
    return urlsplit(response.url).path


def page_messages(text: str) -> list[str]:
    """The messages and form errors a page shows, as text."""
    found = (" ".join(TAGS.sub(" ", m).split()) for m in MESSAGES.findall(text))
    return [html.unescape(m) for m in found if m]


def describe(response: requests.Response) -> str:
    hops = " -> ".join(
        f"{r.status_code} {urlsplit(r.url).path}" for r in [*response.history, response]
    )
    method = (response.history or [response])[0].request.method
    return f"{method} {hops}; messages: {page_messages(response.text)[:5]}"


def csrf_token(page: requests.Response) -> str:
    match = TOKEN.search(page.text)
    assert match, f"no CSRF token on the page: {describe(page)}"
    return match.group(1)


class Shopper:
    """One browser: its own cookies, whichever app server answers it."""

    def __init__(self, name: str):
        self.name = name
        self.http = requests.Session()
        self.seen: list[tuple[str, str, int]] = []  # method, url, status

    def _seen(self, response: requests.Response) -> requests.Response:
        for hop in [*response.history, response]:
            self.seen.append((hop.request.method, hop.url, hop.status_code))
        return response

    def server_errors(self) -> list[tuple[str, str, int]]:
        return [hop for hop in self.seen if hop[2] >= 500]

    def get(self, server, path: str) -> requests.Response:
        return self._seen(self.http.get(server.url + path, timeout=TIMEOUT))

    def post(self, server, path, data, *, token, files=None) -> requests.Response:
        return self._seen(
            self.http.post(
                server.url + path,
                data={"csrfmiddlewaretoken": token, **data},
                files=files,
                timeout=TIMEOUT,
            )
        )

    def fill(self, server, path, data, *, expect, action=None, files=None):
        """Open a page, post its form with the page's CSRF token, and land on
        `expect` (the next step), served by the same server."""
        page = self.get(server, path)
        assert_on(page, path, server)
        response = self.post(
            server, action or path, data, token=csrf_token(page), files=files
        )
        assert_on(response, expect, server)
        return response


def assert_on(response: requests.Response, path: str, server) -> None:
    assert response.status_code == 200, describe(response)
    assert path_of(response) == path, describe(response)
    assert response.url.startswith(server.url + "/"), describe(response)


def add_to_basket(shopper: Shopper, server, product: Product) -> requests.Response:
    """The product page's buy form: 10 mg, a pack of 30."""
    add = reverse(
        "catalogue:add-variant", kwargs={"product_slug": product.slug, "pk": product.pk}
    )
    return shopper.fill(
        server,
        product.get_absolute_url(),
        {"strength": "10", "pack": "30", "quantity": "1"},
        action=add,
        expect=reverse("basket:summary"),
    )


def checkout_to_preview(shopper: Shopper, server, *, email: str) -> requests.Response:
    """Every checkout step as a guest, up to the preview page (returned)."""
    steps = [
        ("checkout:index", {"username": email, "options": "anonymous"}, None),
        ("checkout:shipping-address", ADDRESS, None),
        ("checkout:shipping-method", {"method_code": "standard"}, None),
        (
            "checkout:patient",
            {
                "full_name": "Alex Rivera",
                "date_of_birth": ADULT_DOB.isoformat(),
                "counselling": "no",
            },
            None,
        ),
        (
            "checkout:prescription",
            {"source": "upload"},
            {"file": ("rx.png", PNG, "image/png")},
        ),
        ("checkout:payment-method", {"method": "invoice"}, None),
    ]
    following = [name for name, _, _ in steps[1:]] + ["checkout:preview"]
    for (name, data, files), next_name in zip(steps, following, strict=True):
        page = shopper.fill(
            server, reverse(name), data, files=files, expect=reverse(next_name)
        )
    return page


def place_order(shopper: Shopper, server, preview: requests.Response):
    """Press "Place order" on the preview page."""
    return shopper.post(
        server,
        reverse("checkout:preview"),
        {"action": "place_order"},
        token=csrf_token(preview),
    )


def told_sold_out(path: str, told: str, pack: Product) -> bool:
    """Refused for want of stock, and told so, in one of the two ways the
    store refuses: the preview again with the reason (the order was refused
    under the stock lock), or the basket with Oscar's message (the pre-check
    before "Place order" already found the pack out of stock)."""
    if path == reverse("checkout:preview"):
        return "has just sold out" in told
    if path == reverse("basket:summary"):
        return pack.get_title() in told and (
            "sold out" in told or "no stock available" in told
        )
    return False


# -- Data (committed, so both app servers see it) -------------------------------


@pytest.fixture
def united_states():
    """The one shipping country and the states we are licensed in. Data
    migrations add them, but an earlier transactional test's flush may have
    emptied the tables."""
    reference_data_ensure()
    Country.objects.update_or_create(
        iso_3166_1_a2="US",
        defaults={
            "iso_3166_1_a3": "USA",
            "iso_3166_1_numeric": "840",
            "printable_name": "United States",
            "name": "United States of America",
            "is_shipping_country": True,
        },
    )


def one_pack_drug(*, title: str, stock: int) -> tuple[Product, Product]:
    """A drug sold in one pack (10 mg x 30): (its product, the pack)."""
    drug = make_drug(title=title, prices={"10": {30: str(PACK_PRICE)}}, stock=stock)
    pack = Product.objects.get(upc=f"{drug.product.upc}-10-30")
    return drug.product, pack


# -- Tests ----------------------------------------------------------------------


def test_basket_filled_on_one_server_is_checked_out_on_the_other(
    app_servers, shared_redis, united_states
):
    a, b = app_servers
    product, pack = one_pack_drug(title="Switchol", stock=100)
    shopper = Shopper("guest")

    basket_page = add_to_basket(shopper, a, product)
    assert html.escape(pack.get_title()) in basket_page.text, describe(basket_page)
    basket = Basket.objects.get(lines__product=pack)
    assert basket.status == Basket.OPEN

    # From here on the load balancer sends this browser to B.
    on_b = shopper.get(b, reverse("basket:summary"))
    assert_on(on_b, reverse("basket:summary"), b)
    assert html.escape(pack.get_title()) in on_b.text, "B does not see A's basket"

    preview = checkout_to_preview(shopper, b, email="switch@example.com")
    assert "$43.65" in preview.text, describe(preview)

    # The checkout session B filled lives in the shared Redis (cached_db
    # sessions), and A reads it too: A shows the same preview, not step one.
    session_key = shopper.http.cookies.get("sessionid")
    assert session_key, "the checkout set no session cookie"
    assert shared_redis("EXISTS", SESSION_CACHE_KEY.format(session_key)) == b":1"
    on_a = shopper.get(a, reverse("checkout:preview"))
    assert_on(on_a, reverse("checkout:preview"), a)
    assert "$43.65" in on_a.text, describe(on_a)

    thank_you = place_order(shopper, b, preview)

    assert_on(thank_you, reverse("checkout:thank-you"), b)
    number = THANK_YOU.search(thank_you.text)
    assert number, describe(thank_you)
    order = Order.objects.get(number=number.group(1))
    assert order.status == AWAITING_REVIEW
    assert order.total_incl_tax == ORDER_TOTAL
    assert order.guest_email == "switch@example.com"
    # The basket A filled is the one B turned into the order.
    assert order.basket_id == basket.pk
    basket.refresh_from_db()
    assert basket.status == Basket.SUBMITTED
    assert [(line.product_id, line.quantity) for line in order.lines.all()] == [
        (pack.pk, 1)
    ]
    assert Prescription.objects.filter(order=order).count() == 1
    assert PatientDetails.objects.filter(order=order).count() == 1
    assert shopper.server_errors() == []


def test_fifty_buyers_on_two_servers_race_for_the_last_ten_packs(
    app_servers, shared_redis, united_states
):
    product, pack = one_pack_drug(title="Lastpackol", stock=LAST_PACKS)
    buyers = [Shopper(f"buyer-{i}") for i in range(BUYERS)]
    # The load balancer alternates: buyer i stays on server i % 2.
    server_of = [app_servers[i % 2] for i in range(BUYERS)]

    def prepare(i: int) -> requests.Response:
        add_to_basket(buyers[i], server_of[i], product)
        return checkout_to_preview(
            buyers[i], server_of[i], email=f"buyer{i}@example.com"
        )

    began = time.monotonic()
    with ThreadPoolExecutor(max_workers=PREPARING_AT_ONCE) as pool:
        previews = list(pool.map(prepare, range(BUYERS), timeout=600))
    prepared = time.monotonic()
    record = StockRecord.objects.get(product=pack)
    assert (record.num_in_stock, record.num_allocated or 0) == (LAST_PACKS, 0)

    start = threading.Barrier(BUYERS)
    results: list[requests.Response | BaseException | None] = [None] * BUYERS

    def press_place_order(i: int) -> None:
        try:
            start.wait(timeout=60)
            results[i] = place_order(buyers[i], server_of[i], previews[i])
        except BaseException as exc:  # reported by the assertions below
            results[i] = exc

    threads = [
        threading.Thread(target=press_place_order, args=(i,), daemon=True)
        for i in range(BUYERS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    assert not any(thread.is_alive() for thread in threads), "a request hung"
    print(  # shown with -s, or on failure
        f"{BUYERS} checkouts prepared in {prepared - began:.1f}s, "
        f"placed or refused in {time.monotonic() - prepared:.1f}s"
    )

    server_errors = [hop for buyer in buyers for hop in buyer.server_errors()]
    assert server_errors == []

    placed: dict[int, str] = {}  # buyer: order number on their thank-you page
    refused: dict[int, str] = {}  # buyer: what they were told
    unexpected: dict[int, str] = {}
    for i, result in enumerate(results):
        if not isinstance(result, requests.Response):
            unexpected[i] = repr(result)
            continue
        path = path_of(result)
        told = " | ".join(page_messages(result.text))
        if not result.url.startswith(server_of[i].url + "/"):
            unexpected[i] = f"answered by another server: {describe(result)}"
        elif result.status_code == 200 and path == reverse("checkout:thank-you"):
            number = THANK_YOU.search(result.text)
            placed[i] = number.group(1) if number else "?"
        elif result.status_code == 200 and told_sold_out(path, told, pack):
            refused[i] = f"{path}: {told}"
        else:
            unexpected[i] = describe(result)
    assert unexpected == {}
    print(f"refused: {Counter(refused.values())}")
    assert len(placed) == LAST_PACKS, refused
    assert len(refused) == BUYERS - LAST_PACKS

    orders = Order.objects.prefetch_related("lines")
    assert sorted(order.number for order in orders) == sorted(placed.values())
    for order in orders:
        assert order.status == AWAITING_REVIEW
        assert order.total_incl_tax == ORDER_TOTAL
        assert [(line.product_id, line.quantity) for line in order.lines.all()] == [
            (pack.pk, 1)
        ]
    record.refresh_from_db()
    assert (record.num_in_stock, record.num_allocated) == (LAST_PACKS, LAST_PACKS)
    assert record.net_stock_level == 0
    assert (
        CheckoutAttempt.objects.filter(status=CheckoutAttempt.Status.PLACED).count()
        == LAST_PACKS
    )
    # The refused keep their basket, open, to choose another pack.
    assert Basket.objects.filter(status=Basket.SUBMITTED).count() == LAST_PACKS
    assert Basket.objects.filter(status=Basket.OPEN, lines__product=pack).count() == (
        BUYERS - LAST_PACKS
    )
