"""A price editor changes a pack price in the admin price list; shoppers see it."""

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from pharmacy.staff.groups import staff_groups_ensure
from pharmacy.staff.roles import PRICE_EDITORS
from tests.browser.staff import admin_sign_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "price-editor-test-pass-4821"


@pytest.fixture
def price_editor(transactional_db):
    groups = staff_groups_ensure()
    user = UserFactory(username="pricer", is_staff=True, password=PASSWORD)
    user.groups.add(groups[PRICE_EDITORS])
    return user


def exact(text: str) -> re.Pattern:
    return re.compile(rf"^\s*{re.escape(text)}\s*$")


def price_list_row(page: Page, strength: str, pack_size: str) -> Locator:
    rows = page.locator("#result_list tbody tr")
    row = rows.filter(
        has=page.locator("td.field-strength", has_text=exact(strength))
    ).filter(has=page.locator("td.field-pack_size", has_text=exact(pack_size)))
    expect(row).to_have_count(1)
    return row


def change_price(page: Page, live_server, *, strength, pack_size, old, new) -> None:
    """Through the admin, as a price editor would: log in, open the price list,
    edit one row's price in place, and save."""
    admin_sign_in(page, live_server, username="pricer", password=PASSWORD)

    page.get_by_role("link", name="Price list", exact=True).click()
    expect(page).to_have_url(re.compile(r"/admin/catalogue/packprice/$"))
    price = price_list_row(page, strength, pack_size).locator("input[name$='-price']")
    expect(price).to_have_value(old)
    price.fill(new)
    page.get_by_role("button", name="Save", exact=True).click()

    expect(page.locator(".messagelist .success")).to_have_text(
        "1 pack price was changed successfully."
    )


def test_price_editor_changes_a_pack_price_and_shoppers_see_it(
    page: Page, live_server, baclofen, price_editor
):
    change_price(
        page,
        live_server,
        strength="10 mg",
        pack_size="30 tablets",
        old="38.70",
        new="40.50",
    )

    # 40.50 for 30 is still dearer per tablet than 65.40 for 60: no warning.
    expect(page.locator(".messagelist .warning")).to_have_count(0)
    row = price_list_row(page, "10 mg", "30 tablets")
    expect(row.locator("input[name$='-price']")).to_have_value("40.50")
    expect(row.locator("td.field-per_tablet")).to_have_text("$1.35")

    # Shoppers see the new price at once.
    page.goto(f"{live_server.url}{baclofen.product.get_absolute_url()}")
    choose_pack = page.get_by_role("group", name="Strength")
    choose_pack.locator("label").filter(has_text=exact("10 mg")).click()
    pack_size = page.get_by_role("group", name="Pack size")
    pack_size.locator("label").filter(has_text=exact("30 tablets")).click()
    expect(
        pack_size.get_by_role("radio", name="30 tablets", exact=True)
    ).to_be_checked()
    panel = page.locator("[data-selected-price]")
    expect(panel.locator('[data-field="pack_price"]')).to_have_text("$40.50")
    expect(panel.locator('[data-field="per_tablet"]')).to_have_text("$1.35")
    cell = page.locator('[data-variant="10-30"]')
    expect(cell.locator(".cell-pack")).to_have_text("$40.50")
    expect(cell.locator(".cell-unit")).to_have_text("$1.35 per tablet")


def test_price_change_is_recorded_in_the_price_history(
    page: Page, live_server, baclofen, price_editor
):
    change_price(
        page,
        live_server,
        strength="10 mg",
        pack_size="30 tablets",
        old="38.70",
        new="40.50",
    )

    # The "price changes" list: who changed which pack, from what, to what.
    page.goto(live_server.url + "/admin/partner/historicalstockrecord/")
    changes = page.locator("#result_list tbody tr").filter(
        has=page.locator("td.field-history_user", has_text=exact("pricer"))
    )
    expect(changes).to_have_count(1)
    expect(changes.locator(".field-product")).to_have_text("Baclofen 10 mg, 30 tablets")
    expect(changes.locator(".field-old_price")).to_have_text("38.70")
    expect(changes.locator(".field-price")).to_have_text("40.50")

    # And the pack's own page in the price list, under "Price history".
    page.goto(live_server.url + "/admin/catalogue/packprice/")
    price_list_row(page, "10 mg", "30 tablets").locator("th.field-drug a").click()
    history = page.locator(".field-price_history table tbody tr")
    expect(history).to_have_count(2)
    latest = history.first.locator("td")
    expect(latest.nth(1)).to_have_text("pricer")
    expect(latest.nth(2)).to_have_text("38.70")
    expect(latest.nth(3)).to_have_text("40.50")
    created = history.last.locator("td")
    expect(created.nth(2)).to_have_text("(created)")
    expect(created.nth(3)).to_have_text("38.70")
