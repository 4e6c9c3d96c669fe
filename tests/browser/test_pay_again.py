"""A customer whose card could not be charged follows the emailed link, pays
again on (a stand-in for) Stripe's page and comes back to a confirmation; the
pages pass axe and fit a 360 px screen."""

import pytest
from playwright.sync_api import Page, expect

from checkout.orders import placing
from checkout.payments import repayment
from checkout.payments.models import OrderPayment
from checkout.payments.states import PaymentMethod, PaymentState
from tests.browser.axe import assert_no_serious_violations
from tests.checkout_helpers import basket_with, checkout_attempt
from tests.factories import reference_data_ensure
from tests.integration.checkout.conftest import SECRET_KEY, FakeStripe

pytestmark = pytest.mark.django_db(transaction=True)

# Stripe's own host: the only place the CSP (form-action) lets checkout go.
STRIPE_PAGES = "https://checkout.stripe.com/c/pay/"
STRIPE_PAGE = STRIPE_PAGES + "cs_test_1"


@pytest.fixture
def failed_card_order(baclofen, settings, private_root):
    """A card order whose capture was declined."""
    reference_data_ensure()
    pack = baclofen.product.children.first()
    attempt = checkout_attempt(
        basket=basket_with(product=pack), method=PaymentMethod.CARD
    )
    attempt.stripe_payment_intent_id = "pi_old"
    attempt.save()
    order = placing.order_place(attempt_id=attempt.pk)
    OrderPayment.objects.filter(order=order).update(
        state=PaymentState.CAPTURE_FAILED,
        problem="Card declined (card_declined): Your card has insufficient funds.",
    )
    return order


@pytest.fixture
def stripe(settings, httpserver):
    settings.STRIPE_SECRET_KEY = SECRET_KEY
    fake = FakeStripe(httpserver, settings)
    fake.pages = STRIPE_PAGES
    return fake


def fits_360(page: Page) -> None:
    page.set_viewport_size({"width": 360, "height": 800})
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    page.set_viewport_size({"width": 1280, "height": 900})


def test_the_customer_pays_again_from_the_emailed_link(
    page: Page, live_server, failed_card_order, stripe
):
    link = live_server.url + repayment.pay_again_url(order=failed_card_order).split(
        "://", 1
    )[1].split("/", 1)[1].join(["/", ""])
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

    page.goto(link)

    expect(
        page.get_by_role("heading", name=f"Pay for order {failed_card_order.number}")
    ).to_be_visible()
    expect(page.get_by_text("$", exact=False).first).to_be_visible()
    assert_no_serious_violations(page)
    fits_360(page)

    page.get_by_role("button", name="Pay by card").click()

    expect(page).to_have_url(STRIPE_PAGE)
    payment = OrderPayment.objects.get(order=failed_card_order)
    assert payment.retry_session_id == "cs_test_1"

    # Stripe sends the customer back with the session id.
    page.goto(f"{link}return/?session_id=cs_test_1")

    expect(page.get_by_role("status")).to_contain_text("your card is authorised")
    expect(page.get_by_text("nothing more is needed")).to_be_visible()
    assert_no_serious_violations(page)
    fits_360(page)
    payment.refresh_from_db()
    assert payment.state == PaymentState.AUTHORISED
    assert payment.payment_intent_id == "pi_test_1"
