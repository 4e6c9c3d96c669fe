"""A signed-in customer's first order is approved and dispatched; they open
"Your prescriptions", request a refill and check out without an upload; the
pharmacist approves it on the review page and the quantity left goes down.
Then the reminder job runs with the clock moved on: one email, working links."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone
from oscar.apps.order.models import Order
from playwright.sync_api import Browser, Page, expect

from catalog.models import Product
from checkout.dispensing.models import PrescriptionRecord
from checkout.dispensing.refills import reminders, rules
from checkout.orders import actions
from checkout.orders.models import OrderEvent
from pharmacy.staff.groups import staff_groups_ensure
from pharmacy.staff.roles import PHARMACISTS
from tests.browser.axe import assert_no_serious_violations
from tests.browser.staff import admin_sign_in
from tests.checkout_helpers import fill, pharmacist_checks_record, place_order
from tests.factories import UserFactory, reference_data_ensure

pytestmark = pytest.mark.django_db(transaction=True)

CUSTOMER_EMAIL = "kim.refill@example.com"
CUSTOMER_PASSWORD = "customer-test-pass-4417"
PHARMACIST_PASSWORD = "pharmacist-test-pass-9921"


@pytest.fixture
def shop(baclofen, settings, tmp_path, live_server):
    reference_data_ensure()
    settings.STRIPE_SECRET_KEY = ""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.PUBLIC_BASE_URL = live_server.url
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    yield baclofen


@pytest.fixture
def pharmacist(transactional_db):
    user = UserFactory(
        username="pharmacist", is_staff=True, password=PHARMACIST_PASSWORD
    )
    user.groups.add(staff_groups_ensure()[PHARMACISTS])
    return user


@pytest.fixture
def first_order(shop, pharmacist):
    """30 tablets of 10 mg, three a day (10 days), two refills; approved and
    dispatched nine days ago."""
    customer = UserFactory(
        username="kim", email=CUSTOMER_EMAIL, password=CUSTOMER_PASSWORD
    )
    pack = Product.objects.get(upc=f"{shop.product.upc}-10-30")
    order = place_order(product=pack, owner=customer, checked=False)
    pharmacist_checks_record(order=order, actor=pharmacist, refills_authorised=2)
    actions.order_approve(order=order, actor=pharmacist)
    fill(order=order, actor=pharmacist)
    actions.order_dispatch(order=order, actor=pharmacist, tracking_reference="TRK1")
    OrderEvent.objects.filter(order=order, action="approved").update(
        created_at=timezone.now() - datetime.timedelta(days=9)
    )
    return order


def customer_sign_in(page: Page, live_server) -> None:
    page.goto(live_server.url + "/accounts/login/")
    page.locator("#id_login-username").fill(CUSTOMER_EMAIL)
    page.locator("#id_login-password").fill(CUSTOMER_PASSWORD)
    page.locator("button[name=login_submit]").click()
    expect(page.get_by_role("link", name="Your prescriptions")).to_be_visible()


def press_continue(page: Page) -> None:
    page.get_by_role("button", name="Continue", exact=True).click()


def test_refill_from_your_prescriptions_then_a_reminder(
    page: Page, browser: Browser, live_server, first_order, pharmacist
):
    record = PrescriptionRecord.objects.get()
    rx = rules.rx_number(record=record)
    customer_sign_in(page, live_server)

    page.get_by_role("link", name="Your prescriptions").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your prescriptions")
    card = page.locator(".rx-card")
    expect(card).to_contain_text(rx)
    expect(card).to_contain_text("10 mg three times a day")
    expect(card.locator("dd").nth(1)).to_have_text("60 tablets")
    expect(card.locator("dd").nth(2)).to_have_text("2")
    assert_no_serious_violations(page)

    card.get_by_role("button", name="Request a refill").click()
    expect(page).to_have_url(re.compile(r"/basket/$"))
    expect(page.locator(".messages")).to_contain_text(f"Refill of prescription {rx}")
    page.get_by_role("link", name="Proceed to checkout").click()

    expect(page).to_have_url(re.compile(r"/checkout/shipping-address/$"))
    page.get_by_label("First name").fill("Kim")
    page.get_by_label("Last name").fill("Lee")
    page.get_by_label("First line of address").fill("221 Lakeview Avenue")
    page.get_by_label("City").fill("Madison")
    page.get_by_label("State").select_option(label="Wisconsin")
    page.get_by_label("ZIP code").fill("53703")
    press_continue(page)
    page.get_by_role("group", name="Choose how we deliver your order").get_by_role(
        "radio", name=re.compile(r"^Standard delivery")
    ).check()
    press_continue(page)
    expect(page).to_have_url(re.compile(r"/checkout/patient/$"))
    # Prefilled from the first order.
    expect(page.get_by_label("Patient's full legal name")).to_have_value("Alex Rivera")
    page.get_by_role(
        "group", name="Would you like to speak to our pharmacist about this medicine?"
    ).get_by_role("radio", name="No, thank you").check()
    press_continue(page)

    # No upload step: straight to payment.
    expect(page).to_have_url(re.compile(r"/checkout/payment-method/$"))
    page.get_by_label(re.compile(r"^Email me a week before")).check()
    page.get_by_role("group", name="How would you like to pay?").get_by_role(
        "radio", name="Invoice after pharmacist approval"
    ).check()
    page.get_by_role("button", name="Review your order").click()
    expect(page).to_have_url(re.compile(r"/checkout/preview/$"))
    expect(page.locator(".refill-note")).to_contain_text(f"Refill of prescription {rx}")
    assert_no_serious_violations(page)
    page.get_by_role("button", name="Place order").click()
    expect(page).to_have_url(re.compile(r"/checkout/thank-you/$"))
    refill = Order.objects.exclude(pk=first_order.pk).get()

    # The pharmacist approves it on the order's review page.
    staff = browser.new_context()
    try:
        admin = staff.new_page()
        admin_sign_in(
            admin, live_server, username="pharmacist", password=PHARMACIST_PASSWORD
        )
        admin.goto(f"{live_server.url}/admin/checkout/queueorder/{refill.pk}/review/")
        expect(admin.locator(".rx-refill-of")).to_contain_text(
            f"Refill of prescription {rx}"
        )
        expect(admin.locator(".rx-record")).to_contain_text(
            f"Order {first_order.number}: 30 tablets"
        )
        admin.get_by_role("link", name="Approve…").click()
        admin.get_by_role("button", name=re.compile(r"^Yes, approve order")).click()
        expect(admin.locator(".messagelist .success")).to_contain_text(
            f"Order {refill.number}"
        )
    finally:
        staff.close()

    page.goto(live_server.url + "/prescriptions/")
    card = page.locator(".rx-card")
    expect(card.locator("dd").nth(1)).to_have_text("30 tablets")
    expect(card.locator("dd").nth(2)).to_have_text("1")
    expect(card.locator(".refill-refusal")).to_contain_text("too early")

    # The reminder job, with the clock moved on to 3.5 days after approval.
    mail.outbox.clear()
    later = timezone.now() + datetime.timedelta(days=3.5)
    assert reminders.reminders_send(now=later) == 1
    assert reminders.reminders_send(now=later) == 0
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    refill_url = re.search(r"^(http\S+/refill/)$", body, re.M).group(1)
    stop_url = re.search(r"^(http\S+/reminders/stop/\S+)$", body, re.M).group(1)

    page.goto(refill_url)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Refill prescription {rx}"
    )
    visitor = browser.new_context()  # no sign-in needed to stop reminders
    try:
        other = visitor.new_page()
        other.goto(stop_url)
        other.get_by_role("button", name="Stop reminders").click()
        expect(other.get_by_role("status")).to_contain_text(
            "we will not send you refill reminders for baclofen"
        )
        assert_no_serious_violations(other)
    finally:
        visitor.close()


def test_a_signed_in_refill_confirms_the_saved_address_and_details(
    page: Page, live_server, first_order
):
    """Nothing from the first order is typed again: the saved address is one
    click, the patient's details are filled in, only counselling is asked."""
    rx = rules.rx_number(record=PrescriptionRecord.objects.get())
    customer_sign_in(page, live_server)
    page.goto(live_server.url + "/prescriptions/")
    page.locator(".rx-card").get_by_role("button", name="Request a refill").click()
    page.get_by_role("link", name="Proceed to checkout").click()

    expect(
        page.get_by_role("heading", name="Deliver to a saved address")
    ).to_be_visible()
    saved = page.locator(".saved-addresses .rx-card")
    expect(saved).to_contain_text("1 Main Street")
    assert_no_serious_violations(page)
    saved.get_by_role("button", name="Deliver to this address").click()
    page.get_by_role("group", name="Choose how we deliver your order").get_by_role(
        "radio", name=re.compile(r"^Standard delivery")
    ).check()
    press_continue(page)

    expect(page.get_by_text("filled these in from your earlier order")).to_be_visible()
    expect(page.get_by_label("Patient's full legal name")).to_have_value("Alex Rivera")
    expect(page.get_by_label("Date of birth")).to_have_value("1980-05-17")
    assert_no_serious_violations(page)
    page.get_by_role(
        "group", name="Would you like to speak to our pharmacist about this medicine?"
    ).get_by_role("radio", name="No, thank you").check()
    press_continue(page)
    page.get_by_role("button", name="Review your order").click()

    expect(page.locator(".refill-note")).to_contain_text(f"Refill of prescription {rx}")
    expect(page.locator("body")).to_contain_text("1 Main Street")
    page.get_by_role("button", name="Place order").click()
    expect(page).to_have_url(re.compile(r"/checkout/thank-you/$"))
    refill = Order.objects.exclude(pk=first_order.pk).get()
    assert refill.shipping_address.line1 == "1 Main Street"
    assert refill.patient.full_name == "Alex Rivera"
