"""A catalogue editor adds tizanidine through the admin, publishes it, and a
guest buys it up to the order placed.

Tizanidine (Zanaflex): a centrally acting alpha-2 adrenergic agonist used as a
muscle relaxant for spasticity; prescription-only in the US; tablets of 2 mg and
4 mg; at most 36 mg a day.
"""

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from pharmacy.staff.groups import staff_groups_ensure
from pharmacy.staff.roles import CATALOGUE_EDITORS
from tests.browser.axe import assert_no_serious_violations
from tests.browser.staff import admin_sign_in
from tests.browser.test_checkout_journey import (
    address_fill,
    delivery_standard,
    exact,
    gateway_as_guest,
    patient_fill,
    pay_by_invoice,
    place_order,
    png_file,
    prescription_upload,
)
from tests.factories import UserFactory, reference_data_ensure

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "catalogue-editor-pass-4471"
PACKS = [
    ("2", "30", "18.00", "40"),
    ("2", "90", "45.00", "40"),
    ("4", "30", "27.00", "40"),
    ("4", "90", "69.00", "40"),
]


@pytest.fixture
def shop_ready(transactional_db, settings, tmp_path):
    reference_data_ensure()
    settings.STRIPE_SECRET_KEY = ""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    user = UserFactory(username="cat-editor", is_staff=True, password=PASSWORD)
    user.groups.add(staff_groups_ensure()[CATALOGUE_EDITORS])
    yield


def add_tizanidine(page: Page, live_server) -> None:
    admin_sign_in(page, live_server, username="cat-editor", password=PASSWORD)
    page.goto(live_server.url + "/admin/catalogue/drug/")
    page.get_by_role("link", name=re.compile("Add drug")).click()
    expect(page.get_by_role("heading", name="Add drug")).to_be_visible()
    assert_no_serious_violations(page)
    page.set_viewport_size({"width": 360, "height": 800})
    assert (
        page.evaluate("document.documentElement.scrollWidth") <= 360
    )  # no sideways scroll
    page.set_viewport_size({"width": 1280, "height": 800})
    page.get_by_label("Generic name").fill("Tizanidine")
    page.get_by_label("Brand names").fill("Zanaflex")
    page.get_by_label("Dosage form").select_option(label="Tablet")
    page.get_by_label("Route").select_option(label="Oral")
    expect(page.get_by_label("Prescription only")).to_be_checked()
    page.get_by_label("Maximum daily dose (mg)").fill("36")
    page.get_by_label("Description").fill(
        "A muscle relaxant for spasticity (an alpha-2 adrenergic agonist)."
    )
    for n, (mg, tablets, price, stock) in enumerate(PACKS, start=1):
        page.get_by_label(f"Strength (mg), pack {n}", exact=True).fill(mg)
        page.get_by_label(f"Tablets per pack, pack {n}", exact=True).fill(tablets)
        page.get_by_label(f"Pack price, pack {n}", exact=True).fill(price)
        page.get_by_label(f"Packs in stock, pack {n}", exact=True).fill(stock)
    page.get_by_label("Section 1 title").fill("What it is for")
    page.get_by_label("Section 1 body").fill("Muscle spasticity.")
    page.get_by_label("Section 2 title").fill("Side effects")
    page.get_by_label("Section 2 body").fill("- drowsiness\n- dry mouth")
    page.get_by_role("button", name="Save and publish").click()
    expect(page.get_by_text("tizanidine is published.")).to_be_visible()
    expect(page.get_by_text("Complete: it can be published.")).to_be_visible()


def buy_as_guest(page: Page, live_server, tmp_path) -> str:
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Tizanidine", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tizanidine")
    expect(page.get_by_role("button", name="Show price for this choice")).to_be_hidden()
    for group, option in (("Strength", "4 mg"), ("Pack size", "30 tablets")):
        fieldset = page.get_by_role("group", name=group)
        fieldset.locator("label").filter(has_text=exact(option)).click()
    panel = page.locator("[data-selected-price]")
    expect(panel.locator('[data-field="pack_price"]')).to_have_text("$27.00")
    page.get_by_role("button", name="Add to basket").click()
    expect(page.locator(".basket-total")).to_have_text("$27.00")
    page.get_by_role("link", name="Proceed to checkout").click()
    gateway_as_guest(page)
    address_fill(page)
    delivery_standard(page)
    patient_fill(page)
    prescription_upload(page, png_file(tmp_path))
    pay_by_invoice(page)
    expect(page.locator("table.order-lines tbody tr th")).to_contain_text("Tizanidine")
    expect(page.locator(".order-total")).to_have_text("$31.95")
    return place_order(page)


def test_an_editor_adds_tizanidine_and_a_guest_buys_it(
    page: Page, browser: Browser, live_server, shop_ready, tmp_path
):
    add_tizanidine(page, live_server)

    shopper = browser.new_context()
    try:
        order_number = buy_as_guest(shopper.new_page(), live_server, tmp_path)
    finally:
        shopper.close()
    assert order_number
