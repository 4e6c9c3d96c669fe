"""The pharmacist's screen as a pharmacist uses it at 1280 x 900: signing in
lands on the queue with each queue's count; the prescription image stays in
view beside the record form while they type; every flag is acknowledged in
one submit; dispatch says what is missing first and, refused, keeps what was
typed. Then the superintendent finds who saw the patient. Every page passes
axe."""

import io
import os
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw
from playwright.sync_api import Page, expect

from catalog.cautions import cautions_ensure
from catalog.models import DrugCaution, Product
from checkout.dispensing.models import PatientDetails
from checkout.orders import actions
from pharmacy.staff.groups import staff_groups_ensure
from pharmacy.staff.roles import PHARMACISTS, SUPERINTENDENTS
from tests.browser.axe import assert_no_serious_violations
from tests.browser.pharmacist import transcribe
from tests.browser.staff import admin_sign_in
from tests.checkout_helpers import fill, place_order
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "pharmacist-screen-test-pass-4407"
WIDE = {"width": 1280, "height": 900}
# Set to a folder to keep a screenshot of each page at 360 and 1280 px.
SHOTS = os.environ.get("SCREENSHOTS_DIR")


def portrait_prescription() -> SimpleUploadedFile:
    """A photographed prescription: portrait, taller than the window."""
    image = Image.new("RGB", (850, 1100), "white")
    draw = ImageDraw.Draw(image)
    for y in range(80, 1050, 60):
        draw.line((60, y, 790, y), fill="black", width=3)
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    return SimpleUploadedFile("rx.png", buf.getvalue(), content_type="image/png")


@pytest.fixture
def staff(transactional_db):
    groups = staff_groups_ensure()
    users = {}
    for username, role in (("rph", PHARMACISTS), ("super", SUPERINTENDENTS)):
        users[username] = UserFactory(
            username=username, is_staff=True, password=PASSWORD
        )
        users[username].groups.add(groups[role])
    return users


@pytest.fixture
def orders(baclofen, private_root, staff, settings):
    # Dispatch waits for an invoice to be paid, as it does by default.
    settings.INVOICE_DISPATCH_WAITS_FOR_PAYMENT = True
    cautions_ensure(drug=baclofen, caution_model=DrugCaution)
    pack = Product.objects.get(upc=f"{baclofen.product.upc}-10-30")
    review = place_order(
        product=pack, checked=False, prescription_file=portrait_prescription()
    )
    # Two flags: an opioid among the medicines, and 65 or over.
    PatientDetails.objects.filter(order=review).update(
        full_name="Maria Lopez",
        date_of_birth="1950-04-09",
        current_medicines="Oxycodone 5 mg at night",
    )
    dispatch = place_order(product=pack)
    actions.order_approve(order=dispatch, actor=staff["rph"])
    fill(order=dispatch, actor=staff["rph"])  # filled, its invoice unpaid
    return {"review": review, "dispatch": dispatch}


def shoot(page: Page, name: str) -> None:
    if not SHOTS:
        return
    folder = Path(SHOTS)
    folder.mkdir(parents=True, exist_ok=True)
    for width in (360, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(folder / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size(WIDE)


def in_view(page: Page, box: dict) -> bool:
    return box["y"] >= 0 and box["y"] + box["height"] <= page.viewport_size["height"]


def test_pharmacist_reviews_with_the_image_in_view_then_superintendent_finds_who_saw(
    page: Page, live_server, orders, browser
):
    review, dispatch = orders["review"], orders["dispatch"]
    page.set_viewport_size(WIDE)

    # Signing in lands on the queue, counting each queue.
    admin_sign_in(page, live_server, username="rph", password=PASSWORD)
    expect(page.get_by_role("heading", name="Pharmacist's queue")).to_be_visible()
    filters = page.locator("#changelist-filter")
    expect(filters.get_by_role("link", name="Awaiting review (1)")).to_be_visible()
    expect(
        filters.get_by_role("link", name="Approved, to fill and dispatch (1)")
    ).to_be_visible()
    expect(page.locator(".paginator")).to_contain_text("1 order to review")
    icon = page.locator('link[rel="icon"]').get_attribute("href")
    assert page.request.get(live_server.url + icon).ok
    assert_no_serious_violations(page)
    shoot(page, "queue")

    # The review page: the prescription stays in view while the record is typed.
    page.locator("#result_list").get_by_role("link", name=review.number).click()
    image = page.get_by_role("img", name="The uploaded prescription")
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=image.element_handle()
    )
    record = page.locator("form").filter(
        has=page.get_by_role("button", name="Save prescription record")
    )
    last = record.get_by_label("Quantity left")
    last.scroll_into_view_if_needed()
    last.fill("30")
    assert page.evaluate("window.scrollY") > 300  # the page did scroll
    assert in_view(page, last.bounding_box())
    assert in_view(page, image.bounding_box()), "the prescription scrolled away"
    assert_no_serious_violations(page)
    shoot(page, "review")

    # Both flags acknowledged in one submit, each with its note.
    transcribe(page, tablets=30)
    blocked = page.locator(".rx-actions .rx-refusals")
    expect(blocked).to_contain_text("Approval is refused until")
    flags = page.locator(".rx-flags")
    flags.get_by_label(re.compile("despite: Interaction")).fill(
        "Prescriber aware; low dose."
    )
    flags.get_by_label(re.compile("despite: .*65")).fill("Counselled on falls.")
    flags.get_by_role("button", name="Acknowledge all 2 flags").click()
    expect(page.locator(".messagelist .success")).to_contain_text("Flags acknowledged")
    expect(flags.get_by_text("Acknowledged by rph")).to_have_count(2)
    expect(blocked).to_have_count(0)

    # Dispatch: what is missing comes first; refused, the typed values stay.
    page.goto(f"{live_server.url}/admin/checkout/queueorder/?queue=dispatch")
    page.locator("#result_list").get_by_role("link", name=dispatch.number).click()
    expect(page.locator(".rx-actions")).to_contain_text("Dispatch is refused until")
    page.get_by_role("link", name="Dispatch…").click()
    missing = page.get_by_role("alert").filter(has_text="can't be dispatched yet")
    expect(missing).to_contain_text("is not paid yet")
    page.get_by_label("Carrier").fill("USPS")
    page.get_by_label("Tracking reference").fill("9400 1000 0000 0000 0000 00")
    page.get_by_role("button", name=f"Yes, dispatch order {dispatch.number}").click()
    expect(
        page.get_by_role("alert").filter(has_text="can't be dispatched yet")
    ).to_contain_text("is not paid yet")
    expect(page.get_by_label("Carrier")).to_have_value("USPS")
    expect(page.get_by_label("Tracking reference")).to_have_value(
        "9400 1000 0000 0000 0000 00"
    )
    assert_no_serious_violations(page)
    shoot(page, "dispatch-refused")

    # The superintendent asks who saw Maria Lopez.
    superintendent = browser.new_page(viewport=WIDE)
    admin_sign_in(superintendent, live_server, username="super", password=PASSWORD)
    superintendent.get_by_role("link", name="Health data access records").click()
    superintendent.get_by_label(re.compile("Patient's name or date of birth")).fill(
        "1950-04-09"
    )
    superintendent.get_by_role("button", name="Search").click()
    rows = superintendent.locator("#result_list tbody tr")
    expect(rows.first).to_contain_text("Maria Lopez, born 1950-04-09")
    expect(rows.filter(has_text="rph").first).to_be_visible()
    assert all("Maria Lopez" in text for text in rows.all_inner_texts())
    assert_no_serious_violations(superintendent)
    shoot(superintendent, "access-log")
    superintendent.close()
