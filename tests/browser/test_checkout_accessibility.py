"""axe-core scans of every checkout page a guest sees, with and without
validation errors, then the order status pages: no serious or critical
violations allowed."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.axe import assert_no_serious_violations
from tests.browser.test_checkout_journey import (
    address_fill,
    checkout_conditions,
    expect_heading,
    gateway_as_guest,
    guest_to_patient_step,
    guest_to_preview,
    order_status_email_enter,
    order_status_opens,
    patient_fill,
    place_order,
    png_file,
    prescription_upload,
    press_continue,
    to_gateway,
    years_ago,
)

pytestmark = pytest.mark.django_db(transaction=True)

BLOCKING = ("serious", "critical")


@pytest.fixture
def ready(baclofen, settings, tmp_path):
    with checkout_conditions(drug=baclofen, settings=settings, tmp_path=tmp_path):
        yield baclofen


def test_gateway(page: Page, live_server, ready):
    to_gateway(page, live_server)
    assert_no_serious_violations(page)


def test_delivery_address(page: Page, live_server, ready):
    to_gateway(page, live_server)
    gateway_as_guest(page)
    assert_no_serious_violations(page)


def test_delivery_address_with_errors(page: Page, live_server, ready):
    to_gateway(page, live_server)
    gateway_as_guest(page)
    page.get_by_label("ZIP code").fill("not a zip")
    press_continue(page)
    expect_heading(page, "Delivery address")
    expect(page.locator(".field.has-error").first).to_be_visible()
    expect(page.get_by_label("First name")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("ZIP code")).to_have_attribute("aria-invalid", "true")
    assert_no_serious_violations(page)


def test_delivery_method(page: Page, live_server, ready):
    to_gateway(page, live_server)
    gateway_as_guest(page)
    address_fill(page)
    assert_no_serious_violations(page)


def test_patient(page: Page, live_server, ready):
    guest_to_patient_step(page, live_server)
    assert_no_serious_violations(page)


def test_patient_with_errors(page: Page, live_server, ready):
    guest_to_patient_step(page, live_server)
    page.get_by_label("Date of birth").fill(years_ago(12).isoformat())
    press_continue(page)
    expect_heading(page, "Who is the medicine for?")
    expect(page.get_by_label("Patient's full legal name")).to_have_attribute(
        "aria-invalid", "true"
    )
    expect(page.get_by_label("Date of birth")).to_have_attribute("aria-invalid", "true")
    assert_no_serious_violations(page)


def test_prescription(page: Page, live_server, ready):
    guest_to_patient_step(page, live_server)
    patient_fill(page)
    expect_heading(page, "Your prescription")
    assert_no_serious_violations(page)


def test_prescription_with_errors(page: Page, live_server, ready):
    guest_to_patient_step(page, live_server)
    patient_fill(page)
    expect_heading(page, "Your prescription")
    # "Upload" is chosen, but no file is.
    press_continue(page)
    expect_heading(page, "Your prescription")
    expect(page.locator(".field.has-error .errorlist")).to_have_text(
        "Please choose the prescription file to upload."
    )
    assert_no_serious_violations(page)


def test_prescriber_details_with_errors(page: Page, live_server, ready):
    guest_to_patient_step(page, live_server)
    patient_fill(page)
    expect_heading(page, "Your prescription")
    page.get_by_role("radio", name="Prescriber's details").check()
    page.get_by_label("Prescriber's NPI (10 digits)").fill("123")
    press_continue(page)
    expect_heading(page, "Your prescription")
    expect(page.locator(".field.has-error")).to_have_count(3)
    assert_no_serious_violations(page)


def test_payment_method(page: Page, live_server, ready, tmp_path):
    guest_to_patient_step(page, live_server)
    patient_fill(page)
    prescription_upload(page, png_file(tmp_path))
    expect_heading(page, "How would you like to pay?")
    assert_no_serious_violations(page)


def test_review(page: Page, live_server, ready, tmp_path):
    guest_to_preview(page, live_server, tmp_path)
    expect(page.locator(".order-total")).to_have_text("$90.45")
    assert_no_serious_violations(page)


def test_thank_you(page: Page, live_server, ready, tmp_path):
    guest_to_preview(page, live_server, tmp_path)
    place_order(page)
    expect(page.locator(".order-status")).to_be_visible()
    assert_no_serious_violations(page)


def test_guest_order_status(page: Page, browser, live_server, ready, tmp_path):
    guest_to_preview(page, live_server, tmp_path)
    order_number = place_order(page)
    follow = page.get_by_role("link", name="Follow your order")
    status_path = follow.get_attribute("href")
    # The browser that ordered sees the status at once...
    follow.click()
    order_status_opens(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text(order_number)
    assert_no_serious_violations(page)
    # ...any other is asked for the email, naming the order.
    elsewhere = browser.new_context()
    try:
        other = elsewhere.new_page()
        other.goto(live_server.url + status_path)
        expect(other).to_have_url(re.compile(r"/order-status-form/"))
        expect(other.get_by_role("heading", level=1)).to_contain_text(order_number)
        expect(other.get_by_label("Email address")).to_be_visible()
        assert_no_serious_violations(other)
        order_status_email_enter(other)
        expect(other.get_by_role("heading", level=1)).to_contain_text(order_number)
        assert_no_serious_violations(other)
    finally:
        elsewhere.close()
