"""A shopper checks how a pack's price is made, picks another pack and sees
the breakdown follow, then opens the public price list from the footer."""

import os
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from catalog.costs.models import PackCost
from catalog.models import Product
from tests.browser.axe import assert_no_serious_violations

pytestmark = pytest.mark.django_db(transaction=True)
SHOTS = os.environ.get("SCREENSHOT_DIR")


def shoot(page: Page, name: str) -> None:
    if SHOTS:
        for width in (360, 1280):
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)
        page.set_viewport_size({"width": 1280, "height": 900})


def test_the_breakdown_follows_the_pack_and_the_price_list_opens(
    page: Page, live_server, baclofen, product_url
):
    for tablets, amount in ((30, "1.35"), (90, "4.05")):
        PackCost.objects.create(
            pack=Product.objects.get(upc=f"{baclofen.product.upc}-10-{tablets}"),
            acquisition_cost=Decimal(amount),
            is_demo=True,
        )

    page.goto(product_url)
    breakdown = page.locator("[data-price-breakdown]")
    expect(
        breakdown.get_by_role("heading", name="How this price is made")
    ).to_be_visible()
    expect(breakdown.locator('[data-field="cost"]')).to_have_text("$1.35")
    expect(breakdown.locator('[data-field="total"]')).to_have_text("$43.65")
    assert_no_serious_violations(page)
    shoot(page, "product-breakdown")

    page.get_by_role("radio", name="90 tablets", exact=True).check()
    expect(breakdown.locator('[data-field="cost"]')).to_have_text("$4.05")
    expect(breakdown.locator('[data-field="pack_price"]')).to_have_text("$85.50")
    # No cost is recorded for the 60-tablet pack: no breakdown.
    page.get_by_role("radio", name="60 tablets", exact=True).check()
    expect(breakdown).to_be_hidden()

    page.get_by_role("link", name="Price list").click()
    expect(page.get_by_role("heading", name="Our price list")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="90 tablets").first
    expect(row).to_contain_text("$85.50")
    expect(row).to_contain_text("$0.95")
    assert_no_serious_violations(page)
    page.set_viewport_size({"width": 360, "height": 900})
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.set_viewport_size({"width": 1280, "height": 900})
    shoot(page, "price-list")
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV (spreadsheet)").click()
    assert download.value.suggested_filename == "price-list.csv"
