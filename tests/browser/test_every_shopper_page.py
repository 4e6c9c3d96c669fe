"""Every page a shopper can reach, at a phone's width and a desktop's: none
scrolls sideways, each is in our shell (the pharmacy's footer), passes axe with
no moderate, serious or critical violation, and weighs under 150 KB with
everything it loads.

One walk through the shop per width: browsing, search, the basket, a guest's
whole checkout and order status, then signing up and every account page.
Problems are collected page by page and reported together.
"""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from playwright.sync_api import Browser, Page, expect

from tests.browser.axe import violations
from tests.browser.test_checkout_journey import (
    add_pack_to_basket,
    address_fill,
    checkout_conditions,
    delivery_standard,
    gateway_as_guest,
    order_status_opens,
    patient_fill,
    pay_by_invoice,
    place_order,
    png_file,
    prescription_upload,
)
from tests.checkout_helpers import place_order as order_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

BUDGET_BYTES = 150 * 1024
IMPACTS = ("moderate", "serious", "critical")
EMAIL = "casey.new@example.com"
PASSWORD = "a-long-test-password-4821"


class Inspector:
    """Checks the page the browser shows now; remembers every problem."""

    def __init__(self, page: Page):
        self.page = page
        self.loaded: dict[str, int] = {}
        self.problems: list[str] = []
        self.seen: list[str] = []
        # Each page is weighed with everything it loads, as a first visit would.
        page.context.new_cdp_session(page).send(
            "Network.setCacheDisabled", {"cacheDisabled": True}
        )
        page.on("requestfinished", self._finished)

    def _finished(self, request) -> None:
        response = request.response()
        if response is not None:
            try:
                self.loaded[request.url] = len(response.body())
            except Exception:  # a redirect has no body
                self.loaded[request.url] = 0

    def goto(self, url: str, name: str) -> None:
        self.loaded.clear()
        self.page.goto(url)
        self.check(name)

    def check(self, name: str) -> None:
        page = self.page
        page.wait_for_load_state("networkidle")
        self.seen.append(name)
        wide = page.evaluate(
            "document.documentElement.scrollWidth"
            " - document.documentElement.clientWidth"
        )
        if wide > 0:
            self.problems.append(f"{name}: scrolls sideways by {wide}px")
        if page.locator("footer.site-footer").count() != 1:
            self.problems.append(f"{name}: not in our shell (no pharmacy footer)")
        found = violations(page, impacts=IMPACTS)
        if found:
            self.problems.append(f"{name}: axe {found}")
        weight = sum(self.loaded.values())
        if weight >= BUDGET_BYTES:
            self.problems.append(f"{name}: {weight} bytes loaded: {self.loaded}")
        self.loaded.clear()


@pytest.fixture
def shop(baclofen, settings, tmp_path):
    baclofen.brand_names = "Lioresal"
    baclofen.search_terms = "spasticity, muscle relaxant"
    baclofen.save()
    with checkout_conditions(drug=baclofen, settings=settings, tmp_path=tmp_path):
        yield baclofen


@pytest.mark.parametrize("width", [360, 1280])
def test_every_shopper_page(browser: Browser, live_server, shop, tmp_path, width: int):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    look = Inspector(page)
    url = live_server.url
    try:
        # Browsing and search.
        look.goto(url + "/", "home")
        look.goto(url + "/catalogue/", "catalogue")
        look.goto(url + shop.product.get_absolute_url(), "product")
        page.get_by_role("searchbox", name="Search medicines").fill("Lioresal")
        page.get_by_role("button", name="Search", exact=True).click()
        expect(page.get_by_role("link", name="Baclofen", exact=True)).to_be_visible()
        look.check("search with results")
        look.goto(url + "/search/?q=paracetamol", "search without results")
        look.goto(url + "/basket/", "basket, empty")
        look.goto(url + "/no-such-page/", "404")
        look.goto(url + "/accounts/login/", "sign in")
        look.goto(url + "/accounts/register/", "registration")
        look.goto(url + "/password-reset/", "password reset")

        # A guest's checkout, step by step.
        add_pack_to_basket(page, live_server)
        look.check("basket with a line")
        page.get_by_role("link", name="Proceed to checkout").click()
        look.check("checkout: sign in or guest")
        gateway_as_guest(page)
        look.check("checkout: delivery address")
        address_fill(page)
        look.check("checkout: delivery method")
        delivery_standard(page)
        look.check("checkout: patient")
        patient_fill(page)
        look.check("checkout: prescription")
        prescription_upload(page, png_file(tmp_path))
        look.check("checkout: payment")
        pay_by_invoice(page)
        look.check("checkout: review")
        place_order(page)
        look.check("thank you")
        page.get_by_role("link", name="Follow your order").click()
        order_status_opens(page)
        look.check("guest order status")

        # A new customer signs up, then every account page.
        look.goto(url + "/accounts/register/", "registration")
        page.get_by_label("Email address").fill(EMAIL)
        page.get_by_label(re.compile(r"^Password")).fill(PASSWORD)
        page.get_by_label(re.compile(r"^Confirm password")).fill(PASSWORD)
        page.get_by_role("button", name="Create account").click()
        expect(page.get_by_role("heading", name="Check your inbox")).to_be_visible()
        look.check("registration: check your inbox")
        # The account opens from the emailed link (registration names no one).
        [link] = re.findall(
            r"https?://\S+/accounts/activate/\S+/", mail.outbox[-1].body
        )
        page.goto(url + urlsplit(link).path)
        expect(page.get_by_text("Welcome, your account is ready")).to_be_visible()
        look.check("welcome")
        customer = UserFactory._meta.model.objects.get(email=EMAIL)
        order = order_for(product=_a_pack(shop), owner=customer)
        for path, name in (
            ("/accounts/profile/", "profile"),
            ("/accounts/profile/edit/", "profile edit"),
            ("/accounts/orders/", "order history"),
            (f"/accounts/orders/{order.number}/", "order detail"),
            ("/accounts/addresses/", "addresses"),
            ("/accounts/addresses/add/", "add an address"),
            ("/accounts/change-password/", "password change"),
            ("/accounts/logout/", "sign out"),
            ("/password-reset/", "403 (signed in)"),
        ):
            look.goto(url + path, name)
        page.get_by_role("banner").get_by_role("button", name="Sign out").click()
        expect(
            page.get_by_role("banner").get_by_role("link", name="Sign in")
        ).to_be_visible()
    finally:
        context.close()

    assert not look.problems, "\n".join(look.problems)
    assert len(look.seen) >= 30, look.seen


def _a_pack(drug):
    from catalog.models import Product

    return Product.objects.get(upc=f"{drug.product.upc}-10-30")
