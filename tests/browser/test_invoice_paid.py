"""An invoice order from approval to dispatch: the pharmacist approves, the
customer's email and status page say what is due, by when and where to pay;
dispatch is refused while unpaid; staff record the payment and the order
leaves. Every page passes axe."""

import re

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from checkout.orders.notifications import order_status_path
from pharmacy.staff.groups import staff_groups_ensure
from pharmacy.staff.roles import PHARMACISTS
from tests.browser.shots import looked_at
from tests.browser.staff import admin_sign_in
from tests.checkout_helpers import lot_of, place_order
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "pharmacist-invoice-pass-4410"
BANK = {
    "payee": "Springfield Pharmacy LLC",
    "bank": "First Bank of Springfield",
    "routing_number": "011000015",
    "account_number": "12345678",
}


@pytest.fixture
def pharmacist(transactional_db):
    user = UserFactory(username="rph-invoice", is_staff=True, password=PASSWORD)
    user.groups.add(staff_groups_ensure()[PHARMACISTS])
    return user


@pytest.fixture(autouse=True)
def _invoices(settings):
    settings.INVOICE_DISPATCH_WAITS_FOR_PAYMENT = True
    settings.INVOICE_BANK = BANK


def review(page: Page, live_server, number: str, queue: str) -> None:
    page.goto(f"{live_server.url}/admin/checkout/queueorder/?queue={queue}")
    page.get_by_role("link", name=number, exact=True).click()


def dispatch(page: Page, number: str) -> None:
    page.get_by_role("link", name="Dispatch…").click()
    page.get_by_label("Carrier").fill("UPS")
    page.get_by_label("Tracking reference").fill("1Z999AA1")
    page.get_by_role("button", name=f"Yes, dispatch order {number}").click()


def test_an_invoice_is_paid_before_the_order_is_dispatched(
    page: Page, browser, live_server, baclofen, private_root, pharmacist
):
    pack = baclofen.product.children.first()
    order = place_order(product=pack)
    lot_of(product=pack, actor=pharmacist, ndc="9920700101", lot_number="INV-1")
    total = f"${order.total_incl_tax}"
    admin_sign_in(page, live_server, username=pharmacist.username, password=PASSWORD)
    review(page, live_server, order.number, "review")
    page.get_by_role("link", name="Approve…").click()
    page.get_by_role("button", name=f"Yes, approve order {order.number}").click()
    expect(page.get_by_role("heading", name=re.compile(": Approved$"))).to_be_visible()

    email = next(m for m in mail.outbox if "approved" in m.subject)
    assert f"Amount due: {total}" in email.body
    assert BANK["account_number"] in email.body and order.number in email.body

    customer = browser.new_context(viewport={"width": 360, "height": 900})
    shopper = customer.new_page()
    shopper.goto(live_server.url + order_status_path(order=order))
    shopper.get_by_label(re.compile("email", re.I)).fill(order.guest_email)
    shopper.get_by_role("button", name="Submit").click()
    box = shopper.get_by_role("region", name=f"Invoice INV-{order.number}: how to pay")
    expect(box).to_contain_text(total)
    expect(box).to_contain_text(BANK["routing_number"])
    expect(box).to_contain_text("Due by")
    looked_at(shopper, "status-invoice-due")

    # Filled (the suggested lot), then not paid: dispatch says so.
    page.get_by_role("link", name="Fill…").click()
    page.get_by_role("button", name=f"Fill order {order.number}").click()
    expect(page.get_by_role("heading", name=re.compile(": Filled$"))).to_be_visible()
    review(page, live_server, order.number, "dispatch")
    dispatch(page, order.number)
    # Refused: what is missing comes first, and what was typed is kept.
    expect(page.locator(".rx-refusals")).to_contain_text(
        f"Invoice INV-{order.number} is not paid yet"
    )
    expect(page.get_by_label("Carrier")).to_have_value("UPS")
    page.get_by_role("link", name=f"Order {order.number}").click()

    page.get_by_role("link", name="Record a payment received…").click()
    page.get_by_label("Amount received").fill(str(order.total_incl_tax))
    page.get_by_label("How it was paid").select_option(label="Bank transfer")
    page.get_by_label("Reference").fill("BT-20261202")
    looked_at(page, "admin-record-payment", phone=False)
    page.get_by_role(
        "button", name=f"Yes, record this payment for order {order.number}"
    ).click()
    expect(page.locator(".messagelist .success")).to_have_text(
        f"Order {order.number} recorded as paid."
    )

    dispatch(page, order.number)
    expect(
        page.get_by_role("heading", name=re.compile(": Dispatched$"))
    ).to_be_visible()

    shopper.reload()
    expect(shopper.get_by_text("Payment received: thank you")).to_be_visible()
    expect(shopper.get_by_role("region", name=re.compile("how to pay"))).to_have_count(
        0
    )
    looked_at(shopper, "status-invoice-paid")
    customer.close()
