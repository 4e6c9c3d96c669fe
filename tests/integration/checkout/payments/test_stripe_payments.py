"""Paying by card: the real checkout views against a fake Stripe on 127.0.0.1.

The card is only authorised at checkout (manual capture); the order is placed
when the shopper comes back from Stripe (or the webhook arrives), once, and
only if Stripe holds exactly the total we recomputed.
"""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from oscar.apps.order.models import Order

from catalog.partner.models import StockRecord
from catalog.partner.strategy import Selector
from checkout.basket.models import Basket
from checkout.orders import actions, placing
from checkout.orders.models import CheckoutAttempt
from checkout.orders.workflow import OrderStatus
from checkout.payments import stripe_gateway
from checkout.payments.models import OrderPayment
from checkout.payments.states import PaymentState
from pharmacy.staff.groups import staff_groups_ensure
from pharmacy.staff.roles import PHARMACISTS
from tests.checkout_helpers import pharmacist_checks_record
from tests.factories import UserFactory
from tests.integration.checkout.conftest import stripe_event, webhook_post

STRIPE_URL = "https://checkout.stripe.test/pay/cs_test_1"
# The drug fixture's 10 mg x 30 pack, plus standard delivery.
TOTAL = Decimal("43.65")


def stripe_return(client, session_id="cs_test_1"):
    return client.get(
        reverse("checkout:stripe-return"), {"session_id": session_id}, follow=True
    )


def basket_status(attempt) -> str:
    return Basket.objects.get(pk=attempt.basket_id).status


def shown_messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def recomputed_total(attempt) -> Decimal:
    basket = Basket.objects.get(pk=attempt.basket_id)
    basket.strategy = Selector().strategy()
    _, _, total = placing.basket_total(basket=basket, shipping_method_code="standard")
    return total.incl_tax


# -- amounts across the boundary ------------------------------------------------


@pytest.mark.parametrize(
    ("dollars", "cents"),
    [
        ("43.65", 4365),
        ("0.29", 29),  # 0.29 * 100 is 28.999... as a float
        ("19.99", 1999),
        ("0.01", 1),
        ("0.00", 0),
        ("1000", 100000),
    ],
)
def test_to_cents_turns_decimal_dollars_into_exact_integer_cents(dollars, cents):
    result = stripe_gateway.to_cents(Decimal(dollars))

    assert result == cents
    assert type(result) is int


@pytest.mark.parametrize(
    ("cents", "dollars"),
    [(4365, "43.65"), (29, "0.29"), (1, "0.01"), (0, "0.00"), (100000, "1000.00")],
)
def test_from_cents_gives_decimal_dollars_with_two_places(cents, dollars):
    result = stripe_gateway.from_cents(cents)

    assert isinstance(result, Decimal)
    assert str(result) == dollars


def test_cents_and_dollars_round_trip_for_every_cent_up_to_ten_dollars():
    for cents in range(1001):
        assert stripe_gateway.to_cents(stripe_gateway.from_cents(cents)) == cents


# -- going to Stripe ------------------------------------------------------------


def test_paying_by_card_sends_the_shopper_to_stripe_with_the_basket_frozen(
    start_card_checkout,
):
    response, attempt = start_card_checkout()

    assert response.status_code == 302
    assert response["Location"] == STRIPE_URL
    assert basket_status(attempt) == Basket.FROZEN
    assert Order.objects.count() == 0
    assert attempt.status == CheckoutAttempt.Status.PENDING
    assert attempt.stripe_session_id == "cs_test_1"


def test_stripe_is_asked_to_authorise_only_the_recomputed_total(
    start_card_checkout, fake_stripe
):
    _, attempt = start_card_checkout()

    [create] = fake_stripe.requests("POST", "/v1/checkout/sessions")
    form = create.form
    assert form["payment_intent_data[capture_method]"] == "manual"
    assert recomputed_total(attempt) == TOTAL
    assert form["line_items[0][price_data][unit_amount]"] == "4365"
    assert form["line_items[0][quantity]"] == "1"
    assert form["line_items[0][price_data][currency]"] == "usd"
    assert "line_items[1][quantity]" not in form
    assert form["client_reference_id"] == f"{attempt.order_number}-1"
    assert form["customer_email"] == "guest@example.com"
    assert form["success_url"].endswith(
        reverse("checkout:stripe-return") + "?session_id={CHECKOUT_SESSION_ID}"
    )
    assert form["cancel_url"].endswith(
        reverse("checkout:stripe-cancel") + f"?attempt={attempt.pk}"
    )
    assert create.idempotency_key == f"checkout-session-{attempt.order_number}-1"
    assert create.headers["Authorization"] == "Bearer sk_test_x"


# -- coming back ----------------------------------------------------------------


def test_return_from_stripe_places_one_order_awaiting_review_without_charging(
    client, start_card_checkout, fake_stripe
):
    _, attempt = start_card_checkout()

    response = stripe_return(client)

    assert response.redirect_chain == [(reverse("checkout:thank-you"), 302)]
    order = Order.objects.get()
    assert response.context["order"] == order
    assert order.number == attempt.order_number
    assert order.status == OrderStatus.AWAITING_REVIEW
    assert order.total_incl_tax == TOTAL
    source = order.sources.get()
    assert source.reference == "pi_test_1"
    assert source.amount_allocated == TOTAL
    assert source.amount_debited == 0
    assert fake_stripe.requests("POST", "/v1/payment_intents/pi_test_1/capture") == []
    assert fake_stripe.intent()["status"] == "requires_capture"
    attempt.refresh_from_db()
    assert attempt.status == CheckoutAttempt.Status.PLACED
    assert attempt.order == order
    assert attempt.stripe_payment_intent_id == "pi_test_1"
    assert basket_status(attempt) == Basket.SUBMITTED


def test_returning_twice_and_the_webhook_still_place_exactly_one_order(
    client, start_card_checkout
):
    start_card_checkout()

    first = stripe_return(client)
    second = stripe_return(client)
    hook = webhook_post(client, stripe_event("checkout.session.completed"))

    assert hook.status_code == 200
    assert Order.objects.count() == 1
    assert first.context["order"] == second.context["order"] == Order.objects.get()


@pytest.mark.parametrize("difference", [1, -1])
def test_authorisation_for_a_different_amount_places_no_order_and_is_released(
    client, start_card_checkout, fake_stripe, difference
):
    _, attempt = start_card_checkout()
    fake_stripe.intent()["amount_capturable"] += difference

    response = stripe_return(client)

    assert Order.objects.count() == 0
    attempt.refresh_from_db()
    assert attempt.status == CheckoutAttempt.Status.MISMATCH
    assert (
        len(fake_stripe.requests("POST", "/v1/payment_intents/pi_test_1/cancel")) == 1
    )
    assert fake_stripe.intent()["status"] == "canceled"
    assert any("did not match your order total" in m for m in shown_messages(response))
    assert basket_status(attempt) == Basket.OPEN


def test_authorisation_in_another_currency_places_no_order_and_is_released(
    client, start_card_checkout, fake_stripe
):
    _, attempt = start_card_checkout()
    fake_stripe.intent()["currency"] = "eur"

    response = stripe_return(client)

    assert Order.objects.count() == 0
    attempt.refresh_from_db()
    assert attempt.status == CheckoutAttempt.Status.MISMATCH
    assert "EUR" in attempt.note
    assert (
        len(fake_stripe.requests("POST", "/v1/payment_intents/pi_test_1/cancel")) == 1
    )
    assert any("did not match your order total" in m for m in shown_messages(response))


def test_card_not_authorised_at_return_places_no_order_and_gives_the_basket_back(
    client, start_card_checkout, fake_stripe
):
    _, attempt = start_card_checkout()
    fake_stripe.intent().update(status="requires_payment_method", amount_capturable=0)

    response = stripe_return(client)

    assert Order.objects.count() == 0
    assert response.redirect_chain == [(reverse("basket:summary"), 302)]
    assert any("has not been authorised" in m for m in shown_messages(response))
    attempt.refresh_from_db()
    assert attempt.status == CheckoutAttempt.Status.FAILED
    assert basket_status(attempt) == Basket.OPEN
    assert len(response.context["basket"].all_lines()) == 1


def test_sold_out_while_paying_places_no_order_and_releases_the_hold(
    client, start_card_checkout, fake_stripe
):
    _, attempt = start_card_checkout()
    StockRecord.objects.update(num_in_stock=0)

    response = stripe_return(client)

    assert Order.objects.count() == 0
    assert any("just sold out" in m for m in shown_messages(response))
    assert (
        len(fake_stripe.requests("POST", "/v1/payment_intents/pi_test_1/cancel")) == 1
    )
    attempt.refresh_from_db()
    assert attempt.status == CheckoutAttempt.Status.FAILED
    assert basket_status(attempt) == Basket.OPEN


def test_stripe_down_at_return_keeps_the_checkout_open_for_a_later_try(
    client, start_card_checkout, fake_stripe
):
    _, attempt = start_card_checkout()
    fake_stripe.fail("GET", "/v1/checkout/sessions/cs_test_1", 503)

    down = stripe_return(client)

    assert Order.objects.count() == 0
    assert any("could not check the payment" in m for m in shown_messages(down))
    attempt.refresh_from_db()
    assert attempt.status == CheckoutAttempt.Status.PENDING
    assert fake_stripe.requests("POST", "/v1/payment_intents/pi_test_1/cancel") == []

    fake_stripe.recover()
    again = stripe_return(client)

    assert again.context["order"] == Order.objects.get()


def test_unknown_session_id_at_return_is_not_found(client, start_card_checkout):
    start_card_checkout()

    response = client.get(reverse("checkout:stripe-return"), {"session_id": "cs_x"})

    assert response.status_code == 404
    assert Order.objects.count() == 0


# -- Stripe refusing or unreachable when checkout starts ------------------------


def start_fails_cleanly(client, start_card_checkout, fake_stripe, expected_message):
    response, failed = start_card_checkout()

    assert response.status_code == 200
    assert expected_message in response.context["error"]
    assert expected_message in response.content.decode()
    assert Order.objects.count() == 0
    assert failed.status == CheckoutAttempt.Status.FAILED
    assert basket_status(failed) == Basket.OPEN
    basket = client.get(reverse("basket:summary")).context["basket"]
    assert basket.pk == failed.basket_id
    assert len(basket.all_lines()) == 1

    # The shopper can simply try again once Stripe is back.
    fake_stripe.recover()
    retry, attempt = start_card_checkout(to_preview=False)

    assert retry.status_code == 302
    assert retry["Location"] == STRIPE_URL
    assert attempt.attempt == 2
    assert attempt.basket_id == failed.basket_id
    assert fake_stripe.requests("POST", "/v1/checkout/sessions")[
        -1
    ].idempotency_key == (f"checkout-session-{attempt.order_number}-2")
    return failed


def test_stripe_server_error_when_starting_shows_a_clear_message_on_the_preview(
    client, start_card_checkout, fake_stripe
):
    fake_stripe.fail("POST", "/v1/checkout/sessions", 500)

    failed = start_fails_cleanly(
        client, start_card_checkout, fake_stripe, "could not start the payment"
    )

    # The library retried, each time with the same idempotency key.
    tries = fake_stripe.requests("POST", "/v1/checkout/sessions")[:-1]
    assert len(tries) == 3
    assert {t.idempotency_key for t in tries} == {
        f"checkout-session-{failed.order_number}-1"
    }


def test_stripe_unreachable_when_starting_shows_a_clear_message_on_the_preview(
    client, start_card_checkout, fake_stripe
):
    fake_stripe.offline()

    start_fails_cleanly(
        client, start_card_checkout, fake_stripe, "could not start the payment"
    )


def test_card_declined_when_starting_shows_stripes_message_on_the_preview(
    client, start_card_checkout, fake_stripe
):
    fake_stripe.fail(
        "POST",
        "/v1/checkout/sessions",
        402,
        error={
            "type": "card_error",
            "code": "card_declined",
            "decline_code": "insufficient_funds",
            "message": "Your card has insufficient funds.",
        },
    )

    start_fails_cleanly(
        client, start_card_checkout, fake_stripe, "Your card has insufficient funds."
    )
    # A decline is final: the library must not retry it.
    assert len(fake_stripe.requests("POST", "/v1/checkout/sessions")) == 2


# -- cancelling on Stripe's page ------------------------------------------------


def test_cancel_on_stripe_gives_the_basket_back(client, start_card_checkout):
    _, attempt = start_card_checkout()

    response = client.get(
        reverse("checkout:stripe-cancel"), {"attempt": attempt.pk}, follow=True
    )

    assert response.redirect_chain == [(reverse("basket:summary"), 302)]
    attempt.refresh_from_db()
    assert attempt.status == CheckoutAttempt.Status.CANCELLED
    assert basket_status(attempt) == Basket.OPEN
    [line] = response.context["basket"].all_lines()
    assert line.product.get_title() in response.content.decode()
    assert any("Payment cancelled" in m for m in shown_messages(response))
    assert Order.objects.count() == 0


def test_return_link_from_another_browser_shows_nothing_of_the_order(
    start_card_checkout,
):
    start_card_checkout()

    response = stripe_return(Client())

    assert response.status_code == 404
    assert Order.objects.count() == 0


def test_cancel_link_from_another_browser_changes_nothing(start_card_checkout):
    _, attempt = start_card_checkout()

    Client().get(reverse("checkout:stripe-cancel"), {"attempt": attempt.pk})

    attempt.refresh_from_db()
    assert attempt.status == CheckoutAttempt.Status.PENDING
    assert basket_status(attempt) == Basket.FROZEN


def test_checking_out_again_after_cancel_is_attempt_two_with_a_new_session(
    client, start_card_checkout, fake_stripe
):
    _, first = start_card_checkout()
    client.get(reverse("checkout:stripe-cancel"), {"attempt": first.pk})

    client.get(reverse("checkout:preview"))
    response, second = start_card_checkout(to_preview=False)

    assert response["Location"] == "https://checkout.stripe.test/pay/cs_test_2"
    assert second.pk != first.pk
    assert second.order_number == first.order_number
    assert second.attempt == 2
    keys = [
        c.idempotency_key for c in fake_stripe.requests("POST", "/v1/checkout/sessions")
    ]
    assert keys == [
        f"checkout-session-{first.order_number}-1",
        f"checkout-session-{first.order_number}-2",
    ]
    assert basket_status(second) == Basket.FROZEN

    placed = stripe_return(client, "cs_test_2")

    order = placed.context["order"]
    assert order.sources.get().reference == "pi_test_2"
    first.refresh_from_db()
    assert first.status == CheckoutAttempt.Status.CANCELLED
    assert first.order is None


# The next "Place order" in the same browser must not be taken for a second
# click on the previous order (PaymentDetailsView._already_placed).
def test_next_checkout_in_the_same_browser_after_a_card_order_is_a_new_order(
    client, start_card_checkout
):
    start_card_checkout()
    stripe_return(client)

    response, attempt = start_card_checkout()

    assert response.status_code == 302
    assert response["Location"] == "https://checkout.stripe.test/pay/cs_test_2"
    assert attempt.stripe_session_id == "cs_test_2"


# -- after the pharmacist's decision: capture, release, refund -------------------


@pytest.fixture
def card_order(client, start_card_checkout):
    start_card_checkout()
    order = stripe_return(client).context["order"]
    pharmacist_checks_record(order=order)
    return order


@pytest.fixture
def pharmacist(db):
    user = UserFactory(is_staff=True)
    user.groups.add(staff_groups_ensure()[PHARMACISTS])
    return user


def test_approving_captures_exactly_the_order_total_once(
    card_order, fake_stripe, pharmacist
):
    actions.order_approve(order=card_order, actor=pharmacist)

    [capture] = fake_stripe.requests("POST", "/v1/payment_intents/pi_test_1/capture")
    assert capture.form == {"amount_to_capture": "4365"}
    assert capture.idempotency_key == "capture-pi_test_1"
    assert card_order.sources.get().amount_debited == TOTAL
    assert OrderPayment.objects.get().state == PaymentState.CAPTURED


def test_rejecting_an_uncaptured_order_cancels_the_authorisation(
    card_order, fake_stripe, pharmacist
):
    actions.order_reject(order=card_order, actor=pharmacist, reason="Wrong dose")

    [cancel] = fake_stripe.requests("POST", "/v1/payment_intents/pi_test_1/cancel")
    assert cancel.idempotency_key == "release-pi_test_1"
    assert fake_stripe.requests("POST", "/v1/refunds") == []
    assert fake_stripe.intent()["status"] == "canceled"
    assert OrderPayment.objects.get().state == PaymentState.RELEASED


def test_cancelling_a_captured_order_refunds_it(card_order, fake_stripe, pharmacist):
    actions.order_approve(order=card_order, actor=pharmacist)

    actions.order_cancel(order=card_order, actor=pharmacist, reason="Phoned us")

    [refund] = fake_stripe.requests("POST", "/v1/refunds")
    assert refund.form == {"payment_intent": "pi_test_1"}
    assert refund.idempotency_key == "refund-pi_test_1"
    assert fake_stripe.refunds[0]["amount"] == 4365
    assert card_order.sources.get().amount_refunded == TOTAL
    assert OrderPayment.objects.get().state == PaymentState.REFUNDED


def test_stripe_failing_to_capture_leaves_the_order_awaiting_review(
    card_order, fake_stripe, pharmacist
):
    fake_stripe.fail(
        "POST",
        "/v1/payment_intents/pi_test_1/capture",
        500,
        Stripe_Should_Retry="false",
    )

    with pytest.raises(actions.OrderActionRefused, match="did not answer"):
        actions.order_approve(order=card_order, actor=pharmacist)

    assert card_order.sources.get().amount_debited == 0
    assert Order.objects.get().status == OrderStatus.AWAITING_REVIEW
    assert OrderPayment.objects.get().state == PaymentState.CAPTURE_REQUESTED
