"""A guest buys baclofen through the whole checkout, as a person would; a
pharmacist approves the order in the admin; the guest sees it approved.

The step functions here are shared with test_checkout_accessibility.py.
"""

import datetime
import re
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import Browser, Page, expect

from pharmacy.staff.groups import staff_groups_ensure
from pharmacy.staff.roles import PHARMACISTS
from tests.browser.pharmacist import (
    decide,
    open_order,
    open_queue,
    status_heading,
    transcribe,
)
from tests.browser.staff import admin_sign_in
from tests.factories import UserFactory, reference_data_ensure

pytestmark = pytest.mark.django_db(transaction=True)

EMAIL = "sam.guest@example.com"
PATIENT = "Samantha Jane Okafor"
PHARMACIST_PASSWORD = "pharmacist-test-pass-7305"
PACK_PRICE = "$85.50"  # Baclofen 10 mg, 90 tablets
ORDER_TOTAL = "$90.45"  # the pack + $4.95 standard delivery
PRESCRIPTION_LABEL = "Prescription (photo, scan or PDF, up to 10 MB)"


def exact(text: str) -> re.Pattern:
    return re.compile(rf"^\s*{re.escape(text)}\s*$")


def years_ago(years: int, *, days: int = 0) -> datetime.date:
    """The day ``years`` whole years before today, then ``days`` days earlier."""
    today = timezone.localdate()
    try:
        date = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        date = today.replace(year=today.year - years, day=28)
    return date - datetime.timedelta(days=days)


# -- What the checkout needs ----------------------------------------------------


@contextmanager
def checkout_conditions(*, drug, settings, tmp_path):
    """The shop as these tests need it:

    - the US as the one shipping country (a data migration adds it, but an
      earlier transactional test's flush may have removed it);
    - no Stripe keys, so the invoice is the only way to pay;
    - uploaded prescriptions kept in tmp_path;
    - the drug's maximum daily dose (baclofen: 80 mg), so the pharmacist's
      queue shows days of supply.
    """
    reference_data_ensure()
    settings.STRIPE_SECRET_KEY = ""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    drug.max_daily_dose_mg = 80
    drug.save(update_fields=["max_daily_dose_mg"])
    yield drug


def png_file(tmp_path: Path) -> Path:
    path = tmp_path / "prescription.png"
    Image.new("RGB", (120, 80), "white").save(path, format="PNG")
    return path


@pytest.fixture
def checkout_ready(baclofen, settings, tmp_path):
    with checkout_conditions(drug=baclofen, settings=settings, tmp_path=tmp_path):
        yield baclofen


@pytest.fixture
def pharmacist(transactional_db):
    user = UserFactory(
        username="pharmacist", is_staff=True, password=PHARMACIST_PASSWORD
    )
    user.groups.add(staff_groups_ensure()[PHARMACISTS])
    return user


# -- The shopper's steps ----------------------------------------------------------


def choose(page: Page, group: str, option: str | re.Pattern) -> None:
    """Pick a radio button in the fieldset named ``group``."""
    radio = page.get_by_role("group", name=group).get_by_role(
        "radio", name=option, exact=isinstance(option, str)
    )
    radio.check()
    expect(radio).to_be_checked()


def press_continue(page: Page) -> None:
    page.get_by_role("button", name="Continue", exact=True).click()


def expect_heading(page: Page, text: str | re.Pattern) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text(text)


def expect_error_beside(page: Page, label: str, message: str) -> None:
    """The message is shown in the field's own box and read out with the field."""
    field = page.get_by_label(label)
    expect(field).to_have_attribute("aria-invalid", "true")
    box = page.locator(".field.has-error", has=field)
    expect(box.locator(".errorlist")).to_have_text(message)
    expect(field).to_have_accessible_description(re.compile(re.escape(message)))


def add_pack_to_basket(page: Page, live_server) -> None:
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Baclofen", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Baclofen")
    # Wait for the page's script, which prices the choice in place.
    expect(page.get_by_role("button", name="Show price for this choice")).to_be_hidden()
    for group, option in (("Strength", "10 mg"), ("Pack size", "90 tablets")):
        fieldset = page.get_by_role("group", name=group)
        fieldset.locator("label").filter(has_text=exact(option)).click()
        expect(fieldset.get_by_role("radio", name=option, exact=True)).to_be_checked()
    panel = page.locator("[data-selected-price]")
    expect(panel.locator('[data-field="label"]')).to_have_text("10 mg, 90 tablets")
    expect(panel.locator('[data-field="pack_price"]')).to_have_text(PACK_PRICE)
    page.get_by_role("button", name="Add to basket").click()
    expect(page).to_have_url(re.compile(r"/basket/$"))
    expect(page.locator(".basket-total")).to_have_text(PACK_PRICE)


def to_gateway(page: Page, live_server) -> None:
    add_pack_to_basket(page, live_server)
    page.get_by_role("link", name="Proceed to checkout").click()
    expect(page).to_have_url(re.compile(r"/checkout/$"))
    expect_heading(page, "Check out")


def gateway_as_guest(page: Page) -> None:
    page.get_by_label("My email address is").fill(EMAIL)
    choose(
        page,
        "Do you have an account with us?",
        "I am a new customer and want to checkout as a guest",
    )
    press_continue(page)
    expect(page).to_have_url(re.compile(r"/checkout/shipping-address/$"))
    expect_heading(page, "Delivery address")


def address_fill(page: Page) -> None:
    page.get_by_label("First name").fill("Samantha")
    page.get_by_label("Last name").fill("Okafor")
    page.get_by_label("First line of address").fill("221 Lakeview Avenue")
    page.get_by_label("City").fill("Madison")
    page.get_by_label("State").select_option(label="Wisconsin")
    page.get_by_label("ZIP code").fill("53703")
    press_continue(page)
    expect(page).to_have_url(re.compile(r"/checkout/shipping-method/$"))
    expect_heading(page, "Delivery method")


def delivery_standard(page: Page) -> None:
    choose(page, "Choose how we deliver your order", re.compile(r"^Standard delivery"))
    press_continue(page)
    expect(page).to_have_url(re.compile(r"/checkout/patient/$"))
    expect_heading(page, "Who is the medicine for?")


def patient_fill(page: Page, *, date_of_birth: datetime.date | None = None) -> None:
    """Patient's name and date of birth; an adult of 45 unless told otherwise."""
    date_of_birth = date_of_birth or years_ago(45, days=30)
    page.get_by_label("Patient's full legal name").fill(PATIENT)
    page.get_by_label("Date of birth").fill(date_of_birth.isoformat())
    choose(
        page,
        "Would you like to speak to our pharmacist about this medicine?",
        "No, thank you",
    )
    press_continue(page)


def prescription_upload(page: Page, path: Path) -> None:
    choose(page, "How will you give us the prescription?", "Uploaded prescription")
    page.get_by_label(PRESCRIPTION_LABEL).set_input_files(path)
    press_continue(page)


def pay_by_invoice(page: Page) -> None:
    choose(page, "How would you like to pay?", "Invoice after pharmacist approval")
    page.get_by_role("button", name="Review your order").click()
    expect(page).to_have_url(re.compile(r"/checkout/preview/$"))
    expect_heading(page, "Review and place your order")


def place_order(page: Page) -> str:
    """Press "Place order"; return the number the confirmation page gives."""
    page.get_by_role("button", name="Place order").click()
    expect(page).to_have_url(re.compile(r"/checkout/thank-you/$"))
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text(re.compile(r"^Thank you: order \d+ is received$"))
    return re.search(r"order (\d+)", heading.inner_text()).group(1)


def guest_to_patient_step(page: Page, live_server) -> None:
    to_gateway(page, live_server)
    gateway_as_guest(page)
    address_fill(page)
    delivery_standard(page)


def guest_to_preview(page: Page, live_server, tmp_path: Path) -> None:
    guest_to_patient_step(page, live_server)
    patient_fill(page)
    expect(page).to_have_url(re.compile(r"/checkout/prescription/$"))
    prescription_upload(page, png_file(tmp_path))
    expect(page).to_have_url(re.compile(r"/checkout/payment-method/$"))
    pay_by_invoice(page)


def order_status_opens(page: Page) -> None:
    """The browser that placed the order sees its status without being asked."""
    expect(page).to_have_url(re.compile(r"/order-status/\d+/"))
    expect(page.get_by_role("heading", name="Status", exact=False)).to_be_visible()


def order_status_email_enter(page: Page) -> None:
    """Any other browser is asked for the order's email, naming the order."""
    expect(page).to_have_url(re.compile(r"/order-status-form/\d+/"))
    page.get_by_label("Email address").fill(EMAIL)
    page.get_by_role("button", name="Submit").click()
    expect(page).to_have_url(re.compile(r"/order-status/\d+/"))


def pharmacist_opens_the_queue(admin: Page, live_server) -> None:
    admin_sign_in(
        admin, live_server, username="pharmacist", password=PHARMACIST_PASSWORD
    )
    open_queue(admin)


# -- The tests ------------------------------------------------------------------


def test_guest_checkout_then_pharmacist_approval(
    page: Page, browser: Browser, live_server, checkout_ready, pharmacist, tmp_path
):
    guest_to_patient_step(page, live_server)

    patient_fill(page)
    expect(page).to_have_url(re.compile(r"/checkout/prescription/$"))
    expect_heading(page, "Your prescription")
    prescription_upload(page, png_file(tmp_path))

    expect(page).to_have_url(re.compile(r"/checkout/payment-method/$"))
    # With no Stripe keys, the invoice is the only way to pay.
    payment = page.get_by_role("group", name="How would you like to pay?")
    expect(payment.get_by_role("radio")).to_have_count(1)
    pay_by_invoice(page)

    lines = page.locator("table.order-lines")
    line = lines.locator("tbody tr")
    expect(line).to_have_count(1)
    expect(line.locator("th")).to_contain_text("Baclofen")
    expect(line.locator("th")).to_contain_text("10 mg")
    expect(line.locator("th")).to_contain_text("90 tablets")
    expect(line.locator("td").last).to_have_text(PACK_PRICE)
    delivery = lines.locator("tfoot tr").first
    expect(delivery.locator("th")).to_have_text("Delivery (Standard delivery)")
    expect(delivery.locator("td")).to_have_text("$4.95")
    expect(page.locator(".order-total")).to_have_text(ORDER_TOTAL)
    expect(page.get_by_text("Invoice after pharmacist approval")).to_be_visible()

    order_number = place_order(page)
    expect(page.locator(".order-status")).to_have_text(
        "Status: Awaiting prescription review"
    )
    expect(page.locator(".order-total")).to_have_text(ORDER_TOTAL)
    expect(page.get_by_text("Once approved, we email your invoice")).to_be_visible()
    expect(
        page.get_by_text(f"We have emailed a confirmation to {EMAIL}.")
    ).to_be_visible()
    follow = page.get_by_role("link", name="Follow your order")
    expect(follow).to_be_visible()

    # The pharmacist, in a browser of their own.
    staff = browser.new_context()
    try:
        admin = staff.new_page()
        pharmacist_opens_the_queue(admin, live_server)
        rows = admin.locator("#result_list tbody tr")
        expect(rows).to_have_count(1)
        row = rows.filter(has_text=order_number)
        expect(row.locator("td.field-order")).to_contain_text(
            "Awaiting prescription review"
        )
        expect(row.locator("td.field-patient_age")).to_have_text(f"{PATIENT}, 45")
        expect(row.locator("td.field-order_lines")).to_contain_text("10 mg, 90 tablets")

        open_order(admin, order_number)
        expect(
            admin.get_by_role("img", name="The uploaded prescription")
        ).to_be_visible()
        transcribe(admin, tablets=90)
        # 90 tablets of 10 mg at 10 mg three times a day.
        expect(admin.get_by_text("30 days")).to_be_visible()
        decide(admin, "Approve", f"Yes, approve order {order_number}")
        expect(admin.locator(".messagelist .success")).to_have_text(
            f"Order {order_number} approved."
        )
        # An approved order leaves the review queue for the dispatch queue.
        open_queue(admin)
        expect(admin.locator("#result_list tbody tr")).to_have_count(0)
        admin.get_by_role("link", name="Approved, to fill and dispatch").click()
        expect(admin.locator("#result_list tbody tr td.field-order")).to_contain_text(
            "Approved"
        )
    finally:
        staff.close()

    # Back to the customer, who follows the link on the confirmation page.
    follow.click()
    order_status_opens(page)
    expect(page).to_have_url(re.compile(rf"/order-status/{order_number}/"))
    expect(
        page.get_by_role("heading", level=1, name=re.compile(order_number))
    ).to_be_visible()
    expect(page.get_by_text("Approved", exact=True)).to_be_visible()
    expect(page.get_by_text("Awaiting prescription review")).to_have_count(0)


def test_pharmacist_cancels_at_the_customers_request_with_a_reason(
    page: Page, browser: Browser, live_server, checkout_ready, pharmacist, tmp_path
):
    guest_to_preview(page, live_server, tmp_path)
    order_number = place_order(page)
    follow = page.get_by_role("link", name="Follow your order")

    staff = browser.new_context()
    try:
        admin = staff.new_page()
        pharmacist_opens_the_queue(admin, live_server)
        open_order(admin, order_number)
        admin.get_by_role("link", name="Cancel at the customer's request…").click()
        expect(admin.get_by_text("nothing has been charged")).to_be_visible()
        # Without a reason nothing is cancelled.
        confirm = admin.get_by_role("button", name=f"Yes, cancel order {order_number}")
        confirm.click()
        expect(
            admin.get_by_text("Please record why the order is cancelled.")
        ).to_be_visible()
        admin.get_by_label("Why the customer asked to cancel").fill(
            "The customer phoned to cancel."
        )
        admin.get_by_role("button", name=f"Yes, cancel order {order_number}").click()
        expect(admin.locator(".messagelist .success")).to_have_text(
            f"Order {order_number} cancelled."
        )
        expect(status_heading(admin, "Cancelled")).to_be_visible()
    finally:
        staff.close()

    follow.click()
    order_status_opens(page)
    expect(page.locator(".order-status-now")).to_have_text("Cancelled")


def test_under_18_and_a_fake_png_are_refused_beside_their_fields(
    page: Page, live_server, checkout_ready, tmp_path
):
    guest_to_patient_step(page, live_server)

    # 18 tomorrow.
    patient_fill(page, date_of_birth=years_ago(18, days=-1))
    expect(page).to_have_url(re.compile(r"/checkout/patient/$"))
    expect_error_beside(
        page,
        "Date of birth",
        "We can only supply patients aged 18 or over online. Please ask your "
        "prescriber or a local pharmacy about medicines for under-18s.",
    )
    # Nothing was kept: the shopper cannot skip ahead.
    page.goto(live_server.url + "/checkout/prescription/")
    expect(page).to_have_url(re.compile(r"/checkout/patient/$"))

    # 18 today.
    patient_fill(page, date_of_birth=years_ago(18))
    expect(page).to_have_url(re.compile(r"/checkout/prescription/$"))

    fake = tmp_path / "prescription.png"
    fake.write_text("This is not a picture of a prescription.\n")
    prescription_upload(page, fake)
    expect(page).to_have_url(re.compile(r"/checkout/prescription/$"))
    expect_error_beside(
        page,
        PRESCRIPTION_LABEL,
        "Please upload a photo or scan as JPEG or PNG, or a PDF.",
    )
    # Nothing was kept: the shopper cannot skip ahead to payment.
    page.goto(live_server.url + "/checkout/payment-method/")
    expect(page).to_have_url(re.compile(r"/checkout/prescription/$"))
