"""Stripe's webhook: payloads signed for real with the test secret, posted to
our endpoint, with the fake Stripe on 127.0.0.1 answering the look-ups the
handler makes."""

import json
import threading
import time

import pytest
import stripe
from django.db import connection
from django.test import Client
from django.urls import reverse
from oscar.apps.order.models import Order

from checkout.basket.models import Basket
from checkout.orders.models import CheckoutAttempt
from checkout.payments.models import StripeEvent
from tests.integration.checkout.conftest import stripe_event, webhook_post

COMPLETED = "checkout.session.completed"
EXPIRED = "checkout.session.expired"


@pytest.fixture
def attempt(start_card_checkout):
    """A guest sent to Stripe: session cs_test_1, basket frozen, no order."""
    response, attempt = start_card_checkout()
    assert response.status_code == 302
    return attempt


def basket_status(attempt) -> str:
    return Basket.objects.get(pk=attempt.basket_id).status


def nothing_happened(attempt, fake_stripe) -> None:
    attempt.refresh_from_db()
    assert attempt.status == CheckoutAttempt.Status.PENDING
    assert basket_status(attempt) == Basket.FROZEN
    assert Order.objects.count() == 0
    assert StripeEvent.objects.count() == 0
    assert [c.path for c in fake_stripe.calls] == ["/v1/checkout/sessions"]


def test_completed_session_places_the_order_and_the_return_page_shows_it(
    client, attempt, fake_stripe
):
    response = webhook_post(client, stripe_event(COMPLETED))

    assert response.status_code == 200
    order = Order.objects.get()
    assert order.number == attempt.order_number
    assert order.sources.get().reference == "pi_test_1"
    assert StripeEvent.objects.get().event_id == "evt_test_1"
    assert fake_stripe.requests("POST", "/v1/payment_intents/pi_test_1/capture") == []

    back = client.get(
        reverse("checkout:stripe-return"), {"session_id": "cs_test_1"}, follow=True
    )

    assert back.redirect_chain == [(reverse("checkout:thank-you"), 302)]
    assert back.context["order"] == order
    assert Order.objects.count() == 1


def test_webhook_needs_no_browser_session(attempt, fake_stripe):
    response = webhook_post(Client(), stripe_event(COMPLETED))

    assert response.status_code == 200
    assert Order.objects.get().number == attempt.order_number


def test_payload_signed_with_another_secret_is_refused(client, attempt, fake_stripe):
    response = webhook_post(client, stripe_event(COMPLETED), secret="whsec_other")

    assert response.status_code == 400
    nothing_happened(attempt, fake_stripe)


def test_payload_changed_after_signing_is_refused(client, attempt, fake_stripe):
    signed = stripe_event(COMPLETED, session_id="cs_test_9")
    header = stripe.WebhookSignature.generate_signature_header(
        signed, "whsec_test", timestamp=int(time.time())
    )

    response = webhook_post(client, stripe_event(COMPLETED), signature=header)

    assert response.status_code == 400
    nothing_happened(attempt, fake_stripe)


def test_payload_without_a_signature_is_refused(client, attempt, fake_stripe):
    response = webhook_post(client, stripe_event(COMPLETED), signed=False)

    assert response.status_code == 400
    nothing_happened(attempt, fake_stripe)


def test_garbled_signature_header_is_refused(client, attempt, fake_stripe):
    response = webhook_post(client, stripe_event(COMPLETED), signature="nonsense")

    assert response.status_code == 400
    nothing_happened(attempt, fake_stripe)


def test_replayed_event_signed_longer_ago_than_the_tolerance_is_refused(
    client, attempt, fake_stripe
):
    response = webhook_post(
        client, stripe_event(COMPLETED), timestamp=int(time.time()) - 301
    )

    assert response.status_code == 400
    nothing_happened(attempt, fake_stripe)


def test_event_signed_a_minute_ago_is_still_accepted(client, attempt):
    response = webhook_post(
        client, stripe_event(COMPLETED), timestamp=int(time.time()) - 60
    )

    assert response.status_code == 200
    assert Order.objects.count() == 1


def test_signed_payload_that_is_not_json_is_refused(client, attempt, fake_stripe):
    response = webhook_post(client, '{"id": "evt_test_1", "type": ')

    assert response.status_code == 400
    nothing_happened(attempt, fake_stripe)


def test_get_is_not_allowed(client, attempt):
    assert client.get(reverse("checkout:stripe-webhook")).status_code == 405


def test_duplicate_event_is_acknowledged_without_acting_again(
    client, attempt, fake_stripe
):
    payload = stripe_event(COMPLETED)
    first = webhook_post(client, payload)
    lookups = len(fake_stripe.calls)

    again = webhook_post(client, payload)

    assert first.status_code == again.status_code == 200
    assert again.content == b"Already handled"
    assert len(fake_stripe.calls) == lookups
    assert Order.objects.count() == 1
    assert StripeEvent.objects.count() == 1


def test_second_completed_event_with_a_new_id_still_gives_one_order(client, attempt):
    webhook_post(client, stripe_event(COMPLETED, event_id="evt_a"))

    response = webhook_post(client, stripe_event(COMPLETED, event_id="evt_b"))

    assert response.status_code == 200
    assert Order.objects.count() == 1


def test_expired_arriving_after_completed_leaves_the_order_alone(
    client, attempt, fake_stripe
):
    webhook_post(client, stripe_event(COMPLETED, event_id="evt_done"))

    response = webhook_post(client, stripe_event(EXPIRED, event_id="evt_late"))

    assert response.status_code == 200
    order = Order.objects.get()
    attempt.refresh_from_db()
    assert attempt.status == CheckoutAttempt.Status.PLACED
    assert attempt.order == order
    assert basket_status(attempt) == Basket.SUBMITTED
    assert fake_stripe.requests("POST", "/v1/payment_intents/pi_test_1/cancel") == []
    assert fake_stripe.intent()["status"] == "requires_capture"


def test_expired_session_gives_the_basket_back(client, attempt, fake_stripe):
    response = webhook_post(client, stripe_event(EXPIRED))

    assert response.status_code == 200
    attempt.refresh_from_db()
    assert attempt.status == CheckoutAttempt.Status.EXPIRED
    assert basket_status(attempt) == Basket.OPEN
    assert Order.objects.count() == 0


def test_completed_arriving_after_expired_places_no_order_and_releases_the_hold(
    client, attempt, fake_stripe
):
    webhook_post(client, stripe_event(EXPIRED, event_id="evt_expired"))

    response = webhook_post(client, stripe_event(COMPLETED, event_id="evt_late"))

    assert response.status_code == 200
    assert Order.objects.count() == 0
    attempt.refresh_from_db()
    assert attempt.status == CheckoutAttempt.Status.EXPIRED
    assert attempt.order is None
    [cancel] = fake_stripe.requests("POST", "/v1/payment_intents/pi_test_1/cancel")
    assert cancel.idempotency_key == "release-pi_test_1"
    assert fake_stripe.intent()["status"] == "canceled"
    assert basket_status(attempt) == Basket.OPEN


def test_late_completed_for_an_old_attempt_leaves_the_new_checkout_alone(
    client, attempt, start_card_checkout, fake_stripe
):
    client.get(reverse("checkout:stripe-cancel"), {"attempt": attempt.pk})
    client.get(reverse("checkout:preview"))
    _, second = start_card_checkout(to_preview=False)
    assert second.stripe_session_id == "cs_test_2"
    assert basket_status(second) == Basket.FROZEN

    # The shopper had paid in another tab before cancelling in this one.
    response = webhook_post(client, stripe_event(COMPLETED, session_id="cs_test_1"))

    assert response.status_code == 200
    assert Order.objects.count() == 0
    assert fake_stripe.intent("pi_test_1")["status"] == "canceled"
    # The basket is still being paid for in the second attempt.
    assert basket_status(second) == Basket.FROZEN
    second.refresh_from_db()
    assert second.status == CheckoutAttempt.Status.PENDING

    webhook_post(
        client, stripe_event(COMPLETED, event_id="evt_2", session_id="cs_test_2")
    )

    assert Order.objects.get().sources.get().reference == "pi_test_2"


def test_completed_without_an_authorised_card_places_no_order(
    client, attempt, fake_stripe
):
    fake_stripe.intent().update(status="requires_payment_method", amount_capturable=0)

    response = webhook_post(client, stripe_event(COMPLETED))

    assert response.status_code == 200
    assert Order.objects.count() == 0
    assert fake_stripe.requests("POST", "/v1/payment_intents/pi_test_1/capture") == []


def test_completed_for_a_different_amount_places_no_order_and_releases_the_hold(
    client, attempt, fake_stripe
):
    fake_stripe.intent()["amount_capturable"] -= 100

    response = webhook_post(client, stripe_event(COMPLETED))

    assert response.status_code == 200
    assert Order.objects.count() == 0
    attempt.refresh_from_db()
    assert attempt.status == CheckoutAttempt.Status.MISMATCH
    assert fake_stripe.intent()["status"] == "canceled"


def test_completed_for_a_session_we_never_made_is_acknowledged(
    client, attempt, fake_stripe
):
    response = webhook_post(client, stripe_event(COMPLETED, session_id="cs_other"))

    assert response.status_code == 200
    assert Order.objects.count() == 0
    attempt.refresh_from_db()
    assert attempt.status == CheckoutAttempt.Status.PENDING


@pytest.mark.parametrize(
    "event_type", ["payment_intent.amount_capturable_updated", "charge.succeeded"]
)
def test_event_type_we_do_not_handle_is_acknowledged_and_ignored(
    client, attempt, fake_stripe, event_type
):
    response = webhook_post(client, stripe_event(event_type))

    assert response.status_code == 200
    assert Order.objects.count() == 0
    attempt.refresh_from_db()
    assert attempt.status == CheckoutAttempt.Status.PENDING
    assert basket_status(attempt) == Basket.FROZEN
    assert [c.path for c in fake_stripe.calls] == ["/v1/checkout/sessions"]


def test_async_payment_failed_gives_the_basket_back(client, attempt):
    response = webhook_post(
        client, stripe_event("checkout.session.async_payment_failed")
    )

    assert response.status_code == 200
    attempt.refresh_from_db()
    assert attempt.status == CheckoutAttempt.Status.FAILED
    assert basket_status(attempt) == Basket.OPEN


def test_stripe_outage_while_fulfilling_asks_stripe_to_retry_and_the_retry_places_it(
    client, attempt, fake_stripe
):
    fake_stripe.fail("GET", "/v1/payment_intents/pi_test_1", 503)
    payload = stripe_event(COMPLETED)

    during = webhook_post(client, payload)

    assert during.status_code >= 500
    assert Order.objects.count() == 0
    assert StripeEvent.objects.count() == 0
    attempt.refresh_from_db()
    assert attempt.status == CheckoutAttempt.Status.PENDING
    assert basket_status(attempt) == Basket.FROZEN
    assert fake_stripe.requests("POST", "/v1/payment_intents/pi_test_1/cancel") == []

    fake_stripe.recover()
    retried = webhook_post(client, payload)

    assert retried.status_code == 200
    assert retried.content == b"OK"
    assert Order.objects.get().sources.get().reference == "pi_test_1"
    assert StripeEvent.objects.count() == 1


def test_stripe_unreachable_while_fulfilling_asks_stripe_to_retry(
    client, attempt, fake_stripe
):
    fake_stripe.offline()

    response = webhook_post(client, stripe_event(COMPLETED))

    assert response.status_code >= 500
    assert Order.objects.count() == 0
    assert StripeEvent.objects.count() == 0


def test_webhook_refuses_everything_when_no_secret_is_configured(
    client, attempt, fake_stripe, settings
):
    settings.STRIPE_WEBHOOK_SECRET = ""

    response = webhook_post(client, stripe_event(COMPLETED))

    assert response.status_code == 400
    nothing_happened(attempt, fake_stripe)


def test_shopper_who_never_came_back_can_still_check_out_a_new_basket(
    client, attempt, start_card_checkout
):
    webhook_post(client, stripe_event(COMPLETED))
    assert Order.objects.count() == 1

    response, second = start_card_checkout()

    assert response["Location"] == "https://checkout.stripe.test/pay/cs_test_2"
    assert second.basket_id != attempt.basket_id


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("stripe_server", ["threaded"], indirect=True)
def test_return_page_and_webhook_racing_place_exactly_one_order(
    client, attempt, fake_stripe
):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    # Both fulfilments hold Stripe's answer before either places the order.
    fake_stripe.intent_gate = threading.Barrier(2)
    results = {}

    def run(name, call):
        try:
            results[name] = call()
        except Exception as exc:  # reported by the asserts below
            results[name] = exc
        finally:
            connection.close()

    threads = [
        threading.Thread(
            target=run,
            args=(
                "return",
                lambda: client.get(
                    reverse("checkout:stripe-return"), {"session_id": "cs_test_1"}
                ),
            ),
        ),
        threading.Thread(
            target=run,
            args=("webhook", lambda: webhook_post(Client(), stripe_event(COMPLETED))),
        ),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert results["webhook"].status_code == 200
    assert results["return"].status_code == 302
    assert results["return"]["Location"] == reverse("checkout:thank-you")
    assert Order.objects.count() == 1
    assert len(fake_stripe.requests("GET", "/v1/payment_intents/pi_test_1")) == 2


# -- signed, but missing what we need --------------------------------------------


def _without(payload: str, *path: str) -> str:
    data = json.loads(payload)
    target = data
    for key in path[:-1]:
        target = target[key]
    del target[path[-1]]
    return json.dumps(data)


@pytest.mark.parametrize(
    ("path", "problem"),
    [
        (("data", "object", "id"), "object has no id"),
        (("data", "object"), "no data.object"),
        (("data",), "no data.object"),
        (("id",), "event has no id"),
        (("type",), "event has no type"),
    ],
)
def test_signed_event_missing_fields_is_refused_with_400_and_recorded(
    client, attempt, fake_stripe, path, problem
):
    payload = _without(stripe_event(COMPLETED), *path)

    response = webhook_post(client, payload)
    again = webhook_post(client, payload)

    assert response.status_code == again.status_code == 400
    [recorded] = StripeEvent.objects.all()
    assert problem in recorded.problem
    attempt.refresh_from_db()
    assert attempt.status == CheckoutAttempt.Status.PENDING
    assert Order.objects.count() == 0
    assert [c.path for c in fake_stripe.calls] == ["/v1/checkout/sessions"]


def test_signed_event_whose_object_id_is_not_text_is_refused(
    client, attempt, fake_stripe
):
    data = json.loads(stripe_event(COMPLETED))
    data["data"]["object"]["id"] = {"nested": 1}

    response = webhook_post(client, json.dumps(data))

    assert response.status_code == 400
    assert StripeEvent.objects.get().problem == "event's object has no id"


def test_an_event_type_we_ignore_needs_no_object(client, attempt):
    payload = _without(stripe_event("charge.succeeded"), "data")

    response = webhook_post(client, payload)

    assert response.status_code == 200


@pytest.mark.parametrize(
    "payload, why",
    [
        ("[" * 100_000 + "]" * 100_000, "nested deeper"),
        ('{"id": "evt_1", "pad": "' + "x" * 300_000 + '"}', "larger than"),
    ],
    ids=["100,000 levels deep", "300 KB"],
)
def test_a_signed_body_too_deep_or_too_large_is_a_400_not_a_500(
    client, attempt, fake_stripe, payload, why
):
    response = webhook_post(client, payload)

    assert response.status_code == 400
    assert why in response.content.decode()
    nothing_happened(attempt, fake_stripe)


def test_brackets_inside_strings_are_not_counted_as_nesting(
    client, attempt, fake_stripe
):
    event = json.loads(stripe_event(COMPLETED))
    event["data"]["object"]["metadata"] = {"note": "[[[[{{{{" * 100}

    response = webhook_post(client, json.dumps(event))

    assert response.status_code == 200
    assert Order.objects.get().number == attempt.order_number
