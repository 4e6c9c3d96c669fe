"""A prescriber's NewRx arrives for a known customer, who is emailed, orders
from it and checks out with no upload; the pharmacist approves the order
against the pre-filled record. Then a CancelRx for another prescription
stops its refills."""

import re
import urllib.request

import pytest
from django.core import mail
from oscar.apps.order.models import Order
from playwright.sync_api import Browser, Page, expect

from catalog.models import Product
from checkout.dispensing.eprescribing.models import EPrescription
from checkout.dispensing.refills import rules
from checkout.orders.workflow import OrderStatus
from pharmacy.staff.groups import staff_groups_ensure
from pharmacy.staff.roles import PHARMACISTS
from tests import erx
from tests.browser.axe import assert_no_serious_violations
from tests.browser.staff import admin_sign_in
from tests.checkout_helpers import place_order
from tests.factories import UserFactory, reference_data_ensure

pytestmark = pytest.mark.django_db(transaction=True)

EMAIL = "alex.rivera@example.com"  # the address the prescriber sends
PASSWORD = "customer-test-pass-5521"
PHARMACIST_PASSWORD = "pharmacist-test-pass-7730"


@pytest.fixture
def shop(baclofen, settings, tmp_path, live_server):
    reference_data_ensure()
    settings.STRIPE_SECRET_KEY = ""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.PUBLIC_BASE_URL = live_server.url
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.ERX_INTERMEDIARIES = {erx.INTERMEDIARY: erx.PASSWORD}
    return baclofen


@pytest.fixture
def customer(shop):
    """Alex Rivera, born 1980-05-17, with an earlier order under this email."""
    user = UserFactory(username="alex", email=EMAIL, password=PASSWORD)
    pack = Product.objects.get(upc=f"{shop.product.upc}-10-30")
    place_order(product=pack, owner=user)
    return user


@pytest.fixture
def pharmacist(transactional_db):
    user = UserFactory(
        username="pharmacist", is_staff=True, password=PHARMACIST_PASSWORD
    )
    user.groups.add(staff_groups_ensure()[PHARMACISTS])
    return user


def send(live_server, body: bytes) -> bytes:
    """Post a message as the intermediary does, over HTTP."""
    request = urllib.request.Request(  # noqa: S310  the test's own server
        live_server.url + "/erx/script/",
        data=body,
        headers={
            "Content-Type": "application/xml",
            "Authorization": erx.basic(),
        },
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        return response.read()


def press_continue(page: Page) -> None:
    page.get_by_role("button", name="Continue", exact=True).click()


def test_an_e_prescription_is_ordered_without_upload_and_a_cancel_rx_stops_another(
    page: Page, browser: Browser, live_server, customer, pharmacist
):
    assert b"<Code>010</Code>" in send(live_server, erx.new_rx())
    email = mail.outbox[-1]
    assert email.to == [EMAIL]
    assert "Dr Ngozi Okafor" in email.subject
    link = re.search(r"^(http\S+/refill/)$", email.body, re.M).group(1)

    page.goto(link)
    page.locator("#id_login-username").fill(EMAIL)
    page.locator("#id_login-password").fill(PASSWORD)
    page.locator("button[name=login_submit]").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("prescription RX-")
    assert_no_serious_violations(page)
    page.get_by_role("button", name="Request a refill").click()
    expect(page).to_have_url(re.compile(r"/basket/$"))
    page.get_by_role("link", name="Proceed to checkout").click()

    page.get_by_label("First name").fill("Alex")
    page.get_by_label("Last name").fill("Rivera")
    page.get_by_label("First line of address").fill("1 Main Street")
    page.get_by_label("City").fill("Springfield")
    page.get_by_label("State").select_option(label="Illinois")
    page.get_by_label("ZIP code").fill("62701")
    press_continue(page)
    page.get_by_role("group", name="Choose how we deliver your order").get_by_role(
        "radio", name=re.compile(r"^Standard delivery")
    ).check()
    press_continue(page)
    expect(page).to_have_url(re.compile(r"/checkout/patient/$"))
    page.get_by_label("Patient's full legal name").fill("Alex Rivera")
    page.get_by_label("Date of birth").fill("1980-05-17")
    page.get_by_role(
        "group", name="Would you like to speak to our pharmacist about this medicine?"
    ).get_by_role("radio", name="No, thank you").check()
    press_continue(page)
    # No upload step: the prescription is on file.
    expect(page).to_have_url(re.compile(r"/checkout/payment-method/$"))
    page.get_by_role("group", name="How would you like to pay?").get_by_role(
        "radio", name="Invoice after pharmacist approval"
    ).check()
    page.get_by_role("button", name="Review your order").click()
    page.get_by_role("button", name="Place order").click()
    expect(page).to_have_url(re.compile(r"/checkout/thank-you/$"))
    order = Order.objects.filter(user=customer).order_by("-pk").first()
    record = EPrescription.objects.get().prescription.record
    assert order.prescription.refill_of == record
    assert not order.prescription.file

    staff = browser.new_context()
    try:
        admin = staff.new_page()
        admin_sign_in(
            admin, live_server, username="pharmacist", password=PHARMACIST_PASSWORD
        )
        admin.goto(f"{live_server.url}/admin/checkout/queueorder/{order.pk}/review/")
        # The record, pre-filled from the message, is what the order is checked against.
        record_form = admin.locator(".rx-record")
        expect(record_form.get_by_label("Quantity prescribed (tablets)")).to_have_value(
            "90"
        )
        expect(record_form.get_by_label("Directions")).to_have_value(
            "10 mg three times a day"
        )
        assert_no_serious_violations(admin)
        admin.get_by_role("link", name="Approve…").click()
        admin.get_by_role("button", name=re.compile(r"^Yes, approve order")).click()
        expect(admin.locator(".messagelist .success")).to_contain_text(
            f"Order {order.number}"
        )
    finally:
        staff.close()
    order.refresh_from_db()
    assert order.status == OrderStatus.APPROVED

    # A second prescription, then its cancellation: its refills stop.
    second = {
        "Header/MessageID": "demo-newrx-0002",
        "Header/PrescriberOrderNumber": "ORD-2",
    }
    send(live_server, erx.new_rx(values=second))
    cancel = {
        "Header/RelatesToMessageID": "demo-newrx-0002",
        "Header/PrescriberOrderNumber": "ORD-2",
    }
    assert b"<Code>010</Code>" in send(live_server, erx.cancel_rx(values=cancel))
    cancelled = EPrescription.objects.get(message__message_id="demo-newrx-0002")
    rx = rules.rx_number(record=cancelled.prescription.record)
    page.goto(live_server.url + "/prescriptions/")
    card = page.locator(".rx-card", has_text=rx)
    expect(card.locator(".refill-refusal")).to_contain_text(
        "Your prescriber cancelled prescription"
    )
    expect(card.get_by_role("button", name="Request a refill")).to_have_count(0)
    assert_no_serious_violations(page)
