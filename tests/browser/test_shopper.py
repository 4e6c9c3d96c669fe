"""A shopper picks a baclofen pack and puts it in the basket, as a person would."""

import re

import pytest
from playwright.sync_api import Locator, Page, expect

pytestmark = pytest.mark.django_db(transaction=True)


def choose(page: Page, group: str, option: str) -> None:
    """Click the label of a radio button in the fieldset named ``group``."""
    fieldset = page.get_by_role("group", name=group)
    fieldset.locator("label").filter(has_text=re.compile(rf"^\s*{option}\s*$")).click()
    expect(fieldset.get_by_role("radio", name=option, exact=True)).to_be_checked()


def price_field(page: Page, field: str) -> Locator:
    return page.locator(f'[data-selected-price] [data-field="{field}"]')


def basket_line(page: Page) -> dict[str, Locator]:
    """The only line in the basket, its cells keyed by column heading."""
    rows = page.locator("table.basket-lines tbody tr")
    expect(rows).to_have_count(1)
    row = rows.first
    cells = row.locator("td")
    return {
        "item": row.locator("th"),
        "strength": cells.nth(0),
        "pack_size": cells.nth(1),
        "per_tablet": cells.nth(2),
        "pack_price": cells.nth(3),
        "packs": cells.nth(4).get_by_role("spinbutton"),
        "line_total": cells.nth(5),
    }


def test_shopper_buys_two_packs_of_25mg_x_90(page: Page, live_server, baclofen):
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Baclofen", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Baclofen")
    # The page's script prices the choice in place, so the no-JS button is hidden.
    expect(page.get_by_role("button", name="Show price for this choice")).to_be_hidden()

    choose(page, "Strength", "25 mg")
    choose(page, "Pack size", "90 tablets")

    expect(price_field(page, "label")).to_have_text("25 mg, 90 tablets")
    expect(price_field(page, "pack_price")).to_have_text("$224.10")
    expect(price_field(page, "per_tablet")).to_have_text("$2.49")
    expect(price_field(page, "saving_line")).to_have_text(
        "You save $81.00 (27%) against the 30-tablet pack"
    )

    page.get_by_label("Number of packs").fill("2")
    page.get_by_role("button", name="Add to basket").click()

    expect(page).to_have_url(re.compile(r"/basket/$"))
    line = basket_line(page)
    expect(line["item"]).to_contain_text("Baclofen")
    expect(line["strength"]).to_have_text("25 mg")
    expect(line["pack_size"]).to_have_text("90 tablets")
    expect(line["per_tablet"]).to_have_text("$2.49")
    expect(line["pack_price"]).to_have_text("$224.10")
    expect(line["packs"]).to_have_value("2")
    expect(line["line_total"]).to_have_text("$448.20")
    expect(page.locator(".basket-total")).to_have_text("$448.20")


def test_shopper_without_javascript_previews_price_then_buys(
    browser, live_server, baclofen
):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(live_server.url + "/")
        page.get_by_role("link", name="Baclofen", exact=True).click()

        choose(page, "Strength", "10 mg")
        choose(page, "Pack size", "360 tablets")
        page.get_by_role("button", name="Show price for this choice").click()

        expect(page).to_have_url(re.compile(r"\?strength=10&pack=360#buy$"))
        expect(price_field(page, "label")).to_have_text("10 mg, 360 tablets")
        expect(price_field(page, "pack_price")).to_have_text("$219.60")
        expect(price_field(page, "per_tablet")).to_have_text("$0.61")
        # The reloaded form keeps the choice, so "Add to basket" buys that pack.
        pack_size = page.get_by_role("group", name="Pack size")
        expect(pack_size.get_by_role("radio", name="360 tablets")).to_be_checked()

        page.get_by_role("button", name="Add to basket").click()

        expect(page).to_have_url(re.compile(r"/basket/$"))
        line = basket_line(page)
        expect(line["strength"]).to_have_text("10 mg")
        expect(line["pack_size"]).to_have_text("360 tablets")
        expect(line["per_tablet"]).to_have_text("$0.61")
        expect(line["pack_price"]).to_have_text("$219.60")
        expect(line["packs"]).to_have_value("1")
        expect(line["line_total"]).to_have_text("$219.60")
        expect(page.locator(".basket-total")).to_have_text("$219.60")
    finally:
        context.close()
