"""axe-core scans of the shopper's pages, in the same browser: no serious or
critical violations allowed."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.axe import assert_no_serious_violations

pytestmark = pytest.mark.django_db(transaction=True)

BLOCKING = ("serious", "critical")


def test_home_page(page: Page, live_server, baclofen):
    page.goto(live_server.url + "/")
    expect(page.get_by_role("link", name="Baclofen", exact=True)).to_be_visible()
    assert_no_serious_violations(page)


def test_catalogue_page(page: Page, live_server, baclofen):
    page.goto(live_server.url + "/catalogue/")
    expect(page.get_by_role("link", name="Baclofen", exact=True)).to_be_visible()
    assert_no_serious_violations(page)


def test_product_page(page: Page, live_server, product_url):
    page.goto(product_url)
    # Wait for the script's enhancement so axe sees the page as shoppers do.
    expect(page.get_by_role("button", name="Show price for this choice")).to_be_hidden()
    expect(
        page.get_by_role("navigation", name="Contents of this monograph")
    ).to_be_visible()
    assert_no_serious_violations(page)


def test_basket_with_one_line(page: Page, live_server, product_url):
    page.goto(product_url)
    page.get_by_role("button", name="Add to basket").click()
    expect(page).to_have_url(re.compile(r"/basket/$"))
    expect(page.locator("table.basket-lines tbody tr")).to_have_count(1)
    assert_no_serious_violations(page)
