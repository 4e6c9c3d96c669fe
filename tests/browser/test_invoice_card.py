"""With Stripe set up, an approved invoice's status page offers "Pay by
card": the customer follows it, confirms, lands on (a stand-in for) Stripe's
page, and once Stripe's signed webhook arrives the status page says the
invoice is paid. Every page passes axe and fits 360 px."""

import re
import time

import pytest
import stripe as stripe_lib
from django.urls import reverse
from playwright.sync_api import Page, expect

from checkout.orders import actions
from checkout.orders.notifications import order_status_path
from checkout.payments.models import InvoicePaymentReceived
from pharmacy.staff.groups import staff_groups_ensure
from pharmacy.staff.roles import PHARMACISTS
from tests.browser.shots import looked_at
from tests.checkout_helpers import place_order
from tests.factories import UserFactory
from tests.integration.checkout.conftest import (
    SECRET_KEY,
    WEBHOOK_SECRET,
    FakeStripe,
    stripe_event,
)

pytestmark = pytest.mark.django_db(transaction=True)

# Stripe's own host: the only place the CSP (form-action) lets a form go.
STRIPE_PAGES = "https://checkout.stripe.com/c/pay/"


@pytest.fixture
def stripe(settings, httpserver, live_server):
    settings.STRIPE_SECRET_KEY = SECRET_KEY
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.PUBLIC_BASE_URL = live_server.url  # the emailed link's site
    settings.INVOICE_DISPATCH_WAITS_FOR_PAYMENT = True
    fake = FakeStripe(httpserver, settings)
    fake.pages = STRIPE_PAGES
    return fake


@pytest.fixture
def approved(baclofen, private_root, stripe):
    order = place_order(product=baclofen.product.children.first())
    pharmacist = UserFactory(is_staff=True)
    pharmacist.groups.add(staff_groups_ensure()[PHARMACISTS])
    actions.order_approve(order=order, actor=pharmacist)
    return order


def test_the_customer_pays_an_invoice_by_card(
    page: Page, live_server, approved, stripe
):
    total = f"${approved.total_incl_tax}"
    # The browser never leaves for the internet: Stripe's page is a stand-in.
    page.route(
        STRIPE_PAGES + "**",
        lambda route: route.fulfill(
            status=200,
            content_type="text/html",
            body="<!doctype html><html lang='en'><title>Stripe</title>"
            "<h1>Stripe Checkout (test)</h1></html>",
        ),
    )
    status = live_server.url + order_status_path(order=approved)
    page.goto(status)
    page.get_by_label(re.compile("email", re.I)).fill(approved.guest_email)
    page.get_by_role("button", name="Submit").click()
    box = page.get_by_role("region", name=f"Invoice INV-{approved.number}: how to pay")
    expect(box.get_by_role("link", name="Pay by card")).to_be_visible()
    looked_at(page, "status-invoice-card")

    box.get_by_role("link", name="Pay by card").click()
    expect(page.get_by_text(f"Invoice INV-{approved.number}")).to_be_visible()
    looked_at(page, "invoice-card-page")
    page.get_by_role("button", name=f"Pay {total} by card").click()

    expect(page).to_have_url(STRIPE_PAGES + "cs_test_1")
    payload = stripe_event(
        "checkout.session.completed", metadata={"purpose": "invoice"}
    )
    answer = page.request.post(
        live_server.url + reverse("checkout:stripe-webhook"),
        data=payload,
        headers={
            "Content-Type": "application/json",
            "Stripe-Signature": stripe_lib.WebhookSignature.generate_signature_header(
                payload, WEBHOOK_SECRET, timestamp=int(time.time())
            ),
        },
    )
    assert answer.status == 200

    page.goto(status)
    expect(page.get_by_text("Paid by card: thank you")).to_be_visible()
    expect(page.get_by_role("link", name="Pay by card")).to_have_count(0)
    looked_at(page, "status-invoice-card-paid")
    assert InvoicePaymentReceived.objects.get().reference == "pi_test_1"
