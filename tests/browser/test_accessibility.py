"""axe-core scans of the shopper's pages, in the same browser: no serious or
critical violations allowed."""

import json
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.django_db(transaction=True)

BLOCKING = ("serious", "critical")


def assert_no_serious_violations(page: Page) -> None:
    results = Axe().run(page)
    violations = [
        v for v in results.response["violations"] if v.get("impact") in BLOCKING
    ]
    report = [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [
                {
                    "target": n["target"],
                    "html": n["html"],
                    "summary": n.get("failureSummary"),
                }
                for n in v["nodes"]
            ],
        }
        for v in violations
    ]
    assert not violations, (
        f"axe found serious/critical violations on {page.url}:\n"
        + json.dumps(report, indent=2)
    )


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
