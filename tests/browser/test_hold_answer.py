"""A hold the customer answers: the pharmacist puts an order on hold with a
reason, the guest sees it on the order's status page and uploads a clearer
prescription, and the order is back in the pharmacist's queue with that in
its history. Both pages pass axe and fit 360 px."""

import re

import pytest
from playwright.sync_api import Page, expect

from checkout.orders.notifications import order_status_path
from pharmacy.staff.groups import staff_groups_ensure
from pharmacy.staff.roles import PHARMACISTS
from tests.browser.shots import looked_at
from tests.browser.staff import admin_sign_in
from tests.checkout_helpers import place_order, png_upload
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "pharmacist-hold-pass-8812"
UNCLEAR = "The photo or scan of your prescription is hard to read."


@pytest.fixture
def pharmacist(transactional_db):
    user = UserFactory(username="rph-hold", is_staff=True, password=PASSWORD)
    user.groups.add(staff_groups_ensure()[PHARMACISTS])
    return user


def open_review(page: Page, live_server, number: str) -> None:
    page.goto(f"{live_server.url}/admin/checkout/queueorder/?queue=review")
    page.get_by_role("link", name=number, exact=True).click()
    expect(
        page.get_by_role("heading", name=f"Order {number}", exact=True)
    ).to_be_visible()


def test_a_held_order_comes_back_when_the_customer_uploads_a_clearer_one(
    page: Page, browser, live_server, baclofen, private_root, pharmacist, tmp_path
):
    order = place_order(product=baclofen.product.children.first())
    admin_sign_in(page, live_server, username=pharmacist.username, password=PASSWORD)
    open_review(page, live_server, order.number)
    page.get_by_role("link", name="Put on hold…").click()
    page.get_by_label("Unclear image").check()
    page.get_by_label("Words for the customer").fill("The date is cut off.")
    looked_at(page, "admin-hold-confirm", phone=False)
    decide_button = f"Yes, put on hold order {order.number}"
    page.get_by_role("button", name=decide_button).click()
    expect(page.get_by_role("heading", name=re.compile(": On hold$"))).to_be_visible()

    # The customer, in their own browser, from the link in the email.
    customer = browser.new_context(viewport={"width": 360, "height": 900})
    shopper = customer.new_page()
    shopper.goto(live_server.url + order_status_path(order=order))
    shopper.get_by_label(re.compile("email", re.I)).fill(order.guest_email)
    shopper.get_by_role("button", name="Submit").click()
    box = shopper.get_by_role("region", name="Our pharmacist needs something from you")
    expect(box).to_contain_text(f"{UNCLEAR} The date is cut off.")
    looked_at(shopper, "status-on-hold")
    clearer = tmp_path / "clearer.png"
    clearer.write_bytes(png_upload().read())
    box.get_by_label("Upload a new prescription").check()
    box.get_by_label(re.compile("Prescription \\(photo")).set_input_files(clearer)
    box.get_by_role("button", name="Send to our pharmacist").click()
    expect(shopper.get_by_text("we have sent it to our pharmacist")).to_be_visible()
    expect(
        shopper.get_by_text("You sent what our pharmacist asked for")
    ).to_be_visible()
    looked_at(shopper, "status-answered")
    customer.close()

    open_review(page, live_server, order.number)  # back in the review queue
    history = page.get_by_role("region", name="History")
    expect(history).to_contain_text(
        "prescription supplied (On hold → Awaiting prescription review) by the "
        "customer: The customer uploaded a new prescription (a PNG photo or scan)."
    )
