"""The review page's record form, as a pharmacist uses it: directions it
cannot read are not saved, the page asks for the dose and the times a day
and keeps what was typed; once they are given, the record is saved and the
message says the dose. Passes axe and fits 360 and 1280 px (screenshots
with SHOTS_DIR set)."""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from catalog.models import Product
from checkout.dispensing.models import PrescriptionRecord
from pharmacy.staff.groups import staff_groups_ensure
from pharmacy.staff.roles import PHARMACISTS
from tests.browser.axe import assert_no_serious_violations
from tests.browser.staff import admin_sign_in
from tests.checkout_helpers import place_order
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "pharmacist-test-pass-4410"
SHOTS = os.environ.get("SHOTS_DIR")


def test_unreadable_directions_ask_for_the_dose_and_keep_what_was_typed(
    page: Page, live_server, baclofen, private_root
):
    pharmacist = UserFactory(username="rph", is_staff=True, password=PASSWORD)
    pharmacist.groups.add(staff_groups_ensure()[PHARMACISTS])
    pack = Product.objects.get(upc=f"{baclofen.product.upc}-10-30")
    order = place_order(product=pack, checked=False)
    admin_sign_in(page, live_server, username="rph", password=PASSWORD)
    page.goto(f"{live_server.url}/admin/checkout/queueorder/{order.pk}/review/")
    record = page.locator("form").filter(
        has=page.get_by_role("button", name="Save prescription record")
    )

    record.get_by_label("Prescriber name").fill("Dr Noor Haddad")
    record.get_by_label("Directions").fill("1-2 tabs TID as directed")
    record.get_by_role("button", name="Save prescription record").click()

    expect(
        page.get_by_text(re.compile("We could not read these directions"))
    ).to_be_visible()
    expect(record.get_by_label("Dose (mg each time)")).to_have_accessible_description(
        re.compile("Enter the dose in mg each time")
    )
    expect(record.get_by_label("Prescriber name")).to_have_value("Dr Noor Haddad")
    expect(record.get_by_label("Directions")).to_have_value("1-2 tabs TID as directed")
    assert not PrescriptionRecord.objects.exists()
    for width in (360, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        assert_no_serious_violations(page)
        assert page.evaluate(
            "document.documentElement.scrollWidth"
            " <= document.documentElement.clientWidth"
        ), f"the review page scrolls sideways at {width} px"
        if SHOTS:
            Path(SHOTS).mkdir(parents=True, exist_ok=True)
            page.screenshot(
                path=Path(SHOTS, f"review-directions-{width}.png"), full_page=True
            )

    record.get_by_label("Dose (mg each time)").fill("10")
    record.get_by_label("Times a day").fill("3")
    record.get_by_role("button", name="Save prescription record").click()

    expect(page.locator(".messagelist .success")).to_have_text(
        "Prescription record saved. Dose: 10 mg, 3 times a day."
    )
