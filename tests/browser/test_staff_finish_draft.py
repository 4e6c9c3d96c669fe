"""A catalogue editor finishes a draft drug in the admin (what it treats, a
pack with its price and stock, the image), publishes it, and a shopper finds
it by searching for what it treats."""

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from catalog.models import DrugStatus
from pharmacy.staff.roles import CATALOGUE_EDITORS
from tests.browser.staff import admin_sign_in, looked_at
from tests.factories import make_drug, staff_in

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "catalogue-editor-pass-5190"


@pytest.fixture
def draft(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    staff_in(CATALOGUE_EDITORS, username="cat-editor", password=PASSWORD)
    drug = make_drug(title="Tizanidine", prices={"2": {30: "18.00"}}, sections=1)
    drug.max_daily_dose_mg = 36
    drug.status = DrugStatus.DRAFT
    drug.save()
    drug.product.is_public = False
    drug.product.save()
    return drug


def test_an_editor_finishes_a_draft_and_a_shopper_finds_it_by_what_it_treats(
    page: Page, browser: Browser, live_server, draft
):
    admin_sign_in(page, live_server, username="cat-editor", password=PASSWORD)
    page.goto(live_server.url + "/admin/catalogue/drug/")
    page.get_by_role("link", name="tizanidine").click()
    page.get_by_label("What it treats").fill("spasticity, muscle relaxant")
    page.get_by_role("button", name="Save and continue editing").click()
    page.get_by_role("link", name="Packs, prices, stock and image").click()
    expect(
        page.get_by_role("heading", name="Packs and image: Tizanidine")
    ).to_be_visible()
    looked_at(page, "drug-packs", who="roles")
    page.get_by_label("Pack price, Tizanidine 2 mg, 30 tablets").fill("19.50")
    page.get_by_label("Strength (mg), new pack 1", exact=True).fill("4")
    page.get_by_label("Tablets per pack, new pack 1", exact=True).fill("30")
    page.get_by_label("Pack price, new pack 1", exact=True).fill("27.00")
    page.get_by_label("Packs in stock, new pack 1", exact=True).fill("25")
    page.get_by_label("Draw the pack image").check()
    page.get_by_role("button", name="Save packs and image").click()
    expect(
        page.get_by_text("The packs and image of tizanidine are saved.")
    ).to_be_visible()
    expect(page.get_by_text("Complete: it can be published.")).to_be_visible()
    looked_at(page, "drug-draft-change", who="roles")
    page.get_by_label("Status").select_option(label="Published")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.get_by_text(re.compile("was changed successfully"))).to_be_visible()
    expect(page.get_by_label("Status")).to_have_value("published")

    shopper = browser.new_context().new_page()
    shopper.goto(live_server.url + "/")
    shopper.get_by_label("Search medicines").fill("spasticity")
    shopper.get_by_role("button", name="Search").click()
    shopper.get_by_role("link", name="Tizanidine", exact=True).first.click()
    expect(shopper.get_by_role("heading", level=1)).to_contain_text("Tizanidine")
    shopper.context.close()
