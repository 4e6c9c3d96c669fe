"""A prescription transfer end to end, as people do it: the customer asks
for it and is emailed that it arrived; the pharmacist opens it (the patient by
name and date of birth), completes it with directions in sig code, and the
customer is emailed that it is done. And a 25 mg transfer into the US is
refused with its reason, as buying it is. Each page passes axe and fits a
phone; with SHOTS_DIR set, each is photographed there at 360 and 1280 px."""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from catalog.models import Strength
from checkout.dispensing.refills.models import TransferRequest
from pharmacy.core.models import OutboundEmail
from pharmacy.staff.groups import staff_groups_ensure
from pharmacy.staff.roles import PHARMACISTS
from tests.browser.axe import assert_no_serious_violations
from tests.browser.staff import admin_sign_in
from tests.factories import UserFactory, reference_data_ensure

pytestmark = pytest.mark.django_db(transaction=True)

# Screenshots to look at, outside the repository; none unless asked for.
SHOTS = os.environ.get("SHOTS_DIR")
PASSWORD = "pharmacist-test-pass-7720"


@pytest.fixture
def us_baclofen(baclofen):
    reference_data_ensure()
    Strength.objects.filter(drug=baclofen, mg=25).update(approved_markets="ES,AU,ZA")
    return baclofen


@pytest.fixture
def customer(transactional_db):
    return UserFactory(
        username="c-7f3a9e", email="tess@example.com", password="tess-pass-8812"
    )


def check(page: Page, name: str) -> None:
    """axe and no sideways scroll at each width (and a screenshot)."""
    for width in (360, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        assert page.evaluate(
            "document.documentElement.scrollWidth"
            " <= document.documentElement.clientWidth"
        ), f"{page.url} scrolls sideways at {width} px"
        assert_no_serious_violations(page)
        if SHOTS:
            Path(SHOTS).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=Path(SHOTS, f"{name}-{width}.png"), full_page=True)


def sign_in(page: Page, live_server) -> None:
    page.goto(live_server.url + "/accounts/login/")
    page.locator("#id_login-username").fill("tess@example.com")
    page.locator("#id_login-password").fill("tess-pass-8812")
    page.locator("button[name=login_submit]").click()


def fill_request(page: Page, *, strength: str) -> None:
    page.get_by_label("Medicine and strength").select_option(label=strength)
    page.get_by_label("Patient's full legal name").fill("Tess Moreau")
    page.get_by_label("Patient's date of birth").fill("1968-09-30")
    page.get_by_label("State we would deliver to").select_option(label="Illinois")
    page.get_by_label("Your current pharmacy's name").fill("Corner Drugstore")
    page.get_by_label("Its phone number").fill("+1 217 555 0199")
    page.get_by_label(re.compile("The prescription number there")).fill("CD-1")


def subjects_to(email: str) -> list[str]:
    return [e.subject for e in OutboundEmail.objects.order_by("pk") if e.to == [email]]


def test_a_customer_transfers_and_the_pharmacist_completes_it_in_sig_code(
    page: Page, live_server, us_baclofen, customer
):
    pharmacist = UserFactory(username="rph", is_staff=True, password=PASSWORD)
    pharmacist.groups.add(staff_groups_ensure()[PHARMACISTS])

    # The customer asks for the transfer.
    sign_in(page, live_server)
    page.get_by_role("link", name="Your prescriptions").click()
    page.get_by_role("link", name=re.compile("Transfer a prescription")).click()
    fill_request(page, strength="Baclofen 10 mg")
    check(page, "request-form")
    page.get_by_role("button", name="Request the transfer").click()
    expect(page.locator(".messages")).to_contain_text("emailed you")
    assert subjects_to("tess@example.com") == [
        "We have your request to transfer your baclofen prescription"
    ]

    # The pharmacist opens it: the patient by name and date of birth.
    page.context.clear_cookies()
    page.set_viewport_size({"width": 1280, "height": 900})
    admin_sign_in(page, live_server, username="rph", password=PASSWORD)
    # A pharmacist lands on the queue; the transfers are on the back office's index.
    page.get_by_role("link", name="Back office").first.click()
    page.get_by_role("link", name="Prescription transfer requests").first.click()
    row = page.locator("#result_list tbody tr").first
    expect(row).to_contain_text("Tess Moreau")
    expect(row).to_contain_text("Sept. 30, 1968")
    expect(row).not_to_contain_text("c-7f3a9e")
    check(page, "admin-list")
    row.get_by_role("link", name="Tess Moreau").click()
    expect(page.locator("#content")).not_to_contain_text("c-7f3a9e")

    # Completes it from the other pharmacy's prescription, in sig code.
    page.get_by_label("Prescriber name").fill("Dr Lee Park")
    page.get_by_label("Prescriber NPI").fill("1234567893")
    page.get_by_label("Date written").fill("2026-11-20")
    page.get_by_label("Quantity prescribed").fill("90")
    page.get_by_label("Directions").fill("1 tab PO q8h PRN spasm, max 3/day")
    page.get_by_label("Refills remaining at that pharmacy").fill("2")
    page.get_by_label("Complete the transfer").check()
    check(page, "admin-change")
    page.get_by_role("button", name="Save").click()

    expect(page.locator(".messagelist .success")).to_contain_text("Transfer completed")
    record = TransferRequest.objects.get().prescription.record
    assert (record.dose_mg, record.doses_per_day) == (10, 3)
    assert subjects_to("tess@example.com")[-1] == (
        "Your baclofen prescription has been transferred"
    )


def test_a_25_mg_transfer_into_the_us_is_refused_with_the_reason(
    page: Page, live_server, us_baclofen, customer
):
    sign_in(page, live_server)
    page.goto(live_server.url + "/prescriptions/transfer/")
    fill_request(page, strength="Baclofen 25 mg")
    page.get_by_role("button", name="Request the transfer").click()

    expect(page.get_by_label("Medicine and strength")).to_have_accessible_description(
        re.compile("25 mg baclofen tablets are not approved in the US")
    )
    # Nothing typed is lost.
    expect(page.get_by_label("Patient's full legal name")).to_have_value("Tess Moreau")
    expect(page.get_by_label("Its phone number")).to_have_value("+1 217 555 0199")
    check(page, "request-refused")
    assert not TransferRequest.objects.exists()
    assert subjects_to("tess@example.com") == []
