"""A pharmacist approves an order, fills it by scanning the pack's GS1 code,
prints its label (the PDF opens), dispatches it; then recalls the lot and the
patient's email is in the outbox. Every page passes axe and fits a phone."""

import io
import os
import re

import pdfplumber
import pytest
from playwright.sync_api import Page, expect

from catalog.models import Product
from checkout.dispensing.stock import gs1
from pharmacy.core.models import OutboundEmail
from pharmacy.staff.groups import staff_groups_ensure
from pharmacy.staff.roles import PHARMACISTS
from tests.browser.axe import assert_no_serious_violations
from tests.browser.pharmacist import decide, open_order, open_queue, status_heading
from tests.browser.staff import admin_sign_in
from tests.checkout_helpers import lot_of, place_order
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "dispensing-test-pass-8812"
# Set to keep a screenshot of each page at a phone's and a laptop's width.
SHOTS = os.environ.get("SCREENSHOT_DIR", "")


@pytest.fixture
def ready(baclofen, private_root):
    pharmacist = UserFactory(username="rph-fill", is_staff=True, password=PASSWORD)
    pharmacist.groups.add(staff_groups_ensure()[PHARMACISTS])
    pack = Product.objects.get(upc=f"{baclofen.product.upc}-10-30")
    order = place_order(product=pack)  # record and counselling on file
    lot = lot_of(product=pack, actor=pharmacist, ndc="9920700101", lot_number="BRW-1")
    return order, lot


def screen(page: Page, name: str) -> None:
    assert_no_serious_violations(page)
    for width in (360, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        if SHOTS:
            page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)
        fits = page.evaluate(
            "document.documentElement.scrollWidth"
            " <= document.documentElement.clientWidth"
        )
        assert fits, f"{page.url} scrolls sideways at {width} px"


def test_approve_fill_by_scanning_print_dispatch_then_recall(
    page: Page, live_server, ready
):
    order, lot = ready
    admin_sign_in(page, live_server, username="rph-fill", password=PASSWORD)
    open_queue(page)
    open_order(page, order.number)
    decide(page, "Approve", f"Yes, approve order {order.number}")

    page.get_by_role("link", name="Fill…").click()
    screen(page, "fill")
    code = f"(01){gs1.gtin_for_ndc(lot.ndc)}(17){lot.expires_on:%y%m%d}(10)BRW-1"
    page.get_by_label(re.compile("Or scan the pack's code")).fill(code)
    page.get_by_role("button", name=f"Fill order {order.number}").click()
    expect(page.locator(".messagelist .success")).to_have_text(
        f"Order {order.number} filled: print its label."
    )
    expect(status_heading(page, "Filled")).to_be_visible()
    expect(page.get_by_text("30 tablets from lot BRW-1")).to_be_visible()

    label = page.get_by_role("link", name="Print the label (PDF)")
    pdf = page.request.get(live_server.url + label.get_attribute("href"))
    assert pdf.headers["content-type"] == "application/pdf"
    text = pdfplumber.open(io.BytesIO(pdf.body())).pages[0].extract_text()
    assert order.patient.full_name in text and "Lot: BRW-1" in text

    decide(
        page,
        "Dispatch",
        f"Yes, dispatch order {order.number}",
        Carrier="USPS",
        **{"Tracking reference": "9400 1000 0000 0000 0000 00"},
    )
    expect(status_heading(page, "Dispatched")).to_be_visible()

    page.goto(f"{live_server.url}/admin/checkout/lot/")
    screen(page, "lots")
    page.get_by_role("link", name="Who got lot BRW-1").click()
    expect(page.get_by_role("listitem").filter(has_text=order.number)).to_contain_text(
        order.patient.full_name
    )
    screen(page, "lot-recipients")
    page.get_by_role("link", name="Recall this lot…").click()
    screen(page, "lot-recall")
    page.get_by_label(re.compile("Why the lot is recalled")).fill(
        "The maker's recall notice D-0999-2026."
    )
    page.get_by_role("button", name="Yes, recall lot BRW-1").click()
    expect(page.locator(".messagelist .success")).to_contain_text(
        "1 patient(s) emailed"
    )

    email = OutboundEmail.objects.get(subject__contains="has been recalled")
    assert email.to == [order.email]
    assert order.number in email.body
