"""Pages this branch adds, used as a person would: the footer's licence and
policy pages, 25 mg marked "Not sold in the US", an Alaska address refused at
checkout (a transfer request is in test_transfers.py). Each passes axe and
fits 360 px."""

import re

import pytest
from playwright.sync_api import Page, expect

from catalog.models import Strength
from tests.browser.axe import assert_no_serious_violations
from tests.factories import reference_data_ensure

pytestmark = pytest.mark.django_db(transaction=True)

FOOTER = (
    "Licences",
    "Notice of Privacy Practices",
    "Privacy policy",
    "Terms of sale",
    "Returns policy",
)


def fits(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{page.url} scrolls sideways"


@pytest.fixture
def us_baclofen(baclofen):
    reference_data_ensure()
    Strength.objects.filter(drug=baclofen, mg=25).update(approved_markets="ES,AU,ZA")
    return baclofen


def test_footer_pages_open_read_well_and_fit_a_phone(
    page: Page, live_server, us_baclofen
):
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(live_server.url + "/")
    footer = page.locator("footer")
    for name in FOOTER:
        footer.get_by_role("link", name=name, exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(name)
        fits(page)
        assert_no_serious_violations(page)
    page.goto(live_server.url + "/legal/licences/")
    expect(page.locator("table.licences")).to_contain_text("Illinois")
    expect(page.locator("table.licences")).not_to_contain_text("Alaska")


def test_25_mg_is_shown_but_not_sold_in_the_us(page: Page, live_server, us_baclofen):
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(live_server.url + us_baclofen.product.get_absolute_url())
    strength = page.get_by_role("group", name="Strength")
    expect(strength.get_by_role("radio", name=re.compile(r"^25 mg"))).to_be_disabled()
    expect(strength).to_contain_text("Not sold in the US")
    expect(page.locator(".not-sold-reason")).to_contain_text("not approved in the US")
    fits(page)
    assert_no_serious_violations(page)


def test_an_alaska_address_is_refused_at_the_address_step(
    page: Page, live_server, us_baclofen
):
    page.goto(live_server.url + us_baclofen.product.get_absolute_url())
    page.get_by_role("button", name="Add to basket").click()
    page.get_by_role("link", name="Proceed to checkout").click()
    page.get_by_label("My email address is").fill("guest@example.com")
    page.get_by_role("radio", name=re.compile("checkout as a guest")).check()
    page.get_by_role("button", name="Continue", exact=True).click()
    page.get_by_label("First name").fill("Sam")
    page.get_by_label("Last name").fill("North")
    page.get_by_label("First line of address").fill("1 Harbor Road")
    page.get_by_label("City").fill("Anchorage")
    page.get_by_label("State").select_option(label="Alaska")
    page.get_by_label("ZIP code").fill("99501")
    page.get_by_role("button", name="Continue", exact=True).click()

    expect(page).to_have_url(re.compile(r"/checkout/shipping-address/$"))
    expect(page.get_by_label("State")).to_have_accessible_description(
        re.compile("we can't deliver to Alaska")
    )
    assert_no_serious_violations(page)
