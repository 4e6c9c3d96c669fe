"""A pharmacist opens a PDF prescription's page image and a photo prescription
in the admin; the superintendent then finds both views in the access log."""

import re

import pytest
from playwright.sync_api import Page, expect

from checkout.dispensing.models import Prescription
from pharmacy.staff.groups import staff_groups_ensure
from pharmacy.staff.roles import PHARMACISTS, SUPERINTENDENTS
from tests.browser.axe import assert_no_serious_violations
from tests.browser.staff import admin_sign_in
from tests.checkout_helpers import pdf_upload, place_order
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "prescription-files-test-pass-5310"


@pytest.fixture
def staff(transactional_db):
    groups = staff_groups_ensure()
    for username, role in (
        ("rx-pharmacist", PHARMACISTS),
        ("rx-super", SUPERINTENDENTS),
    ):
        user = UserFactory(username=username, is_staff=True, password=PASSWORD)
        user.groups.add(groups[role])


@pytest.fixture
def orders(baclofen, private_root):
    pack = baclofen.product.children.order_by("pk").first()
    return {
        "pdf": place_order(product=pack, prescription_file=pdf_upload(pages=2)),
        "photo": place_order(product=pack),
    }


def natural_width(page: Page) -> int:
    return page.evaluate(
        "() => { const img = document.images[0];"
        " return img && img.complete ? img.naturalWidth : 0; }"
    )


def fits(page: Page) -> bool:
    return page.evaluate(
        "() => document.documentElement.scrollWidth <= window.innerWidth"
    )


def test_pharmacist_sees_prescription_images_and_superintendent_sees_the_log(
    page: Page, live_server, staff, orders, browser
):
    pdf_rx = Prescription.objects.get(order=orders["pdf"])
    photo_rx = Prescription.objects.get(order=orders["photo"])
    admin = live_server.url + "/admin/checkout/prescription"
    page.set_viewport_size({"width": 1280, "height": 900})

    admin_sign_in(page, live_server, username="rx-pharmacist", password=PASSWORD)
    response = page.goto(f"{admin}/{pdf_rx.pk}/page/2/")
    assert response.status == 200
    assert response.headers["content-type"] == "image/png"
    assert "no-store" in response.headers["cache-control"]
    expect(page.locator("img")).to_be_visible()
    assert natural_width(page) == 1275  # a US Letter page at 150 dpi

    response = page.goto(f"{admin}/{photo_rx.pk}/file/")
    assert response.status == 200
    assert response.headers["content-type"] == "image/png"
    assert natural_width(page) == 40

    # The PDF itself is never handed to the browser.
    assert page.goto(f"{admin}/{pdf_rx.pk}/file/").status == 404

    superintendent = browser.new_page(viewport={"width": 1280, "height": 900})
    admin_sign_in(superintendent, live_server, username="rx-super", password=PASSWORD)
    superintendent.get_by_role("link", name="Health data access records").click()
    expect(superintendent).to_have_url(re.compile(r"/admin/checkout/healthdataaccess/"))
    expect(superintendent.locator("#content h1")).to_have_text("Health data access log")
    rows = superintendent.locator("#result_list tbody tr")
    expect(rows).to_have_count(4)
    expect(rows.nth(0)).to_contain_text("Denied")
    expect(rows.nth(1)).to_contain_text("Prescription file")
    expect(rows.nth(1)).to_contain_text(orders["photo"].number)
    expect(rows.nth(2)).to_contain_text("Prescription page image")
    expect(rows.nth(2)).to_contain_text("page 2")
    expect(rows.nth(2)).to_contain_text("rx-pharmacist")
    # Signing in landed the pharmacist on the queue, which names its patients.
    expect(rows.nth(3)).to_contain_text("Pharmacist's queue")
    expect(rows.nth(3)).to_contain_text("Alex Rivera")
    assert fits(superintendent)
    assert_no_serious_violations(superintendent)

    superintendent.get_by_role("link", name="Prescription page image").click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(orders["pdf"].number)

    superintendent.set_viewport_size({"width": 360, "height": 800})
    assert fits(superintendent)
    assert_no_serious_violations(superintendent)
    superintendent.close()
