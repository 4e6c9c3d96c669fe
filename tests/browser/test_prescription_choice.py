"""The prescription step shows the fields of the option chosen; without
JavaScript both options stay usable, each under its own heading."""

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.test_checkout_journey import (
    PRESCRIPTION_LABEL,
    checkout_conditions,
    choose,
    guest_to_patient_step,
    patient_fill,
    press_continue,
)

pytestmark = pytest.mark.django_db(transaction=True)

VALID_NPI = "1234567893"


@pytest.fixture
def ready(baclofen, settings, tmp_path):
    with checkout_conditions(drug=baclofen, settings=settings, tmp_path=tmp_path):
        yield baclofen


def to_prescription_step(page: Page, live_server) -> None:
    guest_to_patient_step(page, live_server)
    patient_fill(page)
    expect(page).to_have_url(re.compile(r"/checkout/prescription/$"))


def test_only_the_chosen_options_fields_show(page: Page, live_server, ready):
    to_prescription_step(page, live_server)
    upload = page.get_by_label(PRESCRIPTION_LABEL)
    npi = page.get_by_label("Prescriber's NPI (10 digits)")

    expect(upload).to_be_visible()
    expect(npi).to_be_hidden()

    choose(page, "How will you give us the prescription?", "Prescriber's details")
    expect(upload).to_be_hidden()
    expect(npi).to_be_visible()

    page.get_by_label("Prescriber's name").fill("Dr Jordan Lee")
    page.get_by_label("Prescriber's phone").fill("+1 217 555 0199")
    npi.fill(VALID_NPI)
    press_continue(page)
    expect(page).to_have_url(re.compile(r"/checkout/payment-method/$"))


def test_without_javascript_both_options_show_under_headings(
    page: Page, browser: Browser, live_server, ready
):
    to_prescription_step(page, live_server)
    # The same shopper, in a browser with JavaScript off.
    context = browser.new_context(
        java_script_enabled=False, storage_state=page.context.storage_state()
    )
    try:
        page = context.new_page()
        page.goto(live_server.url + "/checkout/prescription/")
        expect(
            page.get_by_role("heading", name="If you upload the prescription")
        ).to_be_visible()
        expect(
            page.get_by_role("heading", name="If we ask your prescriber")
        ).to_be_visible()
        expect(page.get_by_label(PRESCRIPTION_LABEL)).to_be_visible()
        expect(page.get_by_label("Prescriber's NPI (10 digits)")).to_be_visible()
    finally:
        context.close()
