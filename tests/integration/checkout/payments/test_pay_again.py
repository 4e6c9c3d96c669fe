"""After a failed capture the customer pays again from the emailed link: a new
Checkout Session for the same order, which the pharmacist then captures. And
no Stripe call, anywhere, is made inside a database transaction."""

import re

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse
from oscar.apps.order.models import Order

from checkout.orders import actions
from checkout.orders.workflow import OrderStatus
from checkout.payments import ledger, repayment, stripe_gateway
from checkout.payments.models import OrderPayment
from checkout.payments.states import PaymentState
from pharmacy.staff.groups import staff_groups_ensure
from pharmacy.staff.roles import PHARMACISTS
from tests.checkout_helpers import pharmacist_checks_record
from tests.factories import UserFactory
from tests.integration.checkout.conftest import stripe_event, webhook_post


@pytest.fixture
def pharmacist(db):
    user = UserFactory(is_staff=True)
    user.groups.add(staff_groups_ensure()[PHARMACISTS])
    return user


@pytest.fixture
def card_order(client, start_card_checkout):
    start_card_checkout()
    client.get(reverse("checkout:stripe-return"), {"session_id": "cs_test_1"})
    order = Order.objects.get()
    pharmacist_checks_record(order=order)
    return order


@pytest.fixture
def declined(card_order, fake_stripe, pharmacist, django_capture_on_commit_callbacks):
    """The first capture was declined; returns the emailed pay-again link."""
    fake_stripe.decline_captures()
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(actions.OrderActionRefused),
    ):
        actions.order_approve(order=card_order, actor=pharmacist)
    fake_stripe.recover()
    [email] = [m for m in mail.outbox if "pay again" in m.subject]
    return re.search(r"http://\S+/checkout/pay-again/\S+/", email.body).group(0)


def path_of(url: str) -> str:
    return url.split("://", 1)[1].split("/", 1)[1].join(["/", ""])


def test_the_customer_pays_again_and_the_pharmacist_captures_the_new_card(
    declined, card_order, fake_stripe, pharmacist
):
    shopper = Client()  # the link works in any browser: it is signed
    page = shopper.get(path_of(declined))
    assert page.status_code == 200
    assert b"Pay by card" in page.content
    assert b"$43.65" in page.content

    response = shopper.post(path_of(declined))

    assert response["Location"] == "https://checkout.stripe.test/pay/cs_test_2"
    [create] = fake_stripe.requests("POST", "/v1/checkout/sessions")[1:]
    assert create.form["payment_intent_data[capture_method]"] == "manual"
    assert create.form["line_items[0][price_data][unit_amount]"] == "4365"
    assert create.idempotency_key == f"pay-again-{card_order.number}-1"

    back = shopper.get(
        path_of(declined) + "return/", {"session_id": "cs_test_2"}, follow=True
    )

    assert b"your card is authorised" in back.content
    payment = OrderPayment.objects.get()
    assert payment.state == PaymentState.AUTHORISED
    assert payment.payment_intent_id == "pi_test_2"
    assert ledger.payment_problem(Order.objects.get()) is None

    actions.order_approve(order=card_order, actor=pharmacist)

    assert Order.objects.get().status == OrderStatus.APPROVED
    assert fake_stripe.intent("pi_test_2")["status"] == "succeeded"
    assert fake_stripe.intent("pi_test_1")["status"] == "requires_capture"
    assert fake_stripe.captures_made == 1


def test_the_webhook_records_the_new_authorisation_too(declined, client, fake_stripe):
    Client().post(path_of(declined))

    response = webhook_post(
        client, stripe_event("checkout.session.completed", session_id="cs_test_2")
    )

    assert response.status_code == 200
    assert OrderPayment.objects.get().payment_intent_id == "pi_test_2"


def test_a_pay_again_authorisation_for_another_amount_is_released(
    declined, fake_stripe
):
    shopper = Client()
    shopper.post(path_of(declined))
    fake_stripe.intent("pi_test_2")["amount_capturable"] -= 1

    shopper.get(path_of(declined) + "return/", {"session_id": "cs_test_2"})

    assert OrderPayment.objects.get().state == PaymentState.CAPTURE_FAILED
    assert fake_stripe.intent("pi_test_2")["status"] == "canceled"


def test_a_tampered_or_unknown_link_is_not_found(declined, card_order):
    assert Client().get(path_of(declined).replace(":", "x", 1)).status_code == 404
    other = repayment.pay_again_token(order=card_order).replace(
        card_order.number, "999999"
    )
    url = reverse("checkout:pay-again", kwargs={"token": other})
    assert Client().get(url).status_code == 404


def test_an_order_without_a_payment_problem_offers_nothing_to_pay(
    card_order, pharmacist
):
    url = reverse(
        "checkout:pay-again",
        kwargs={"token": repayment.pay_again_token(order=card_order)},
    )

    authorised = Client().get(url)
    actions.order_approve(order=card_order, actor=pharmacist)
    captured = Client().get(url)

    assert b"nothing more is needed" in authorised.content
    assert b"does not need paying again" in captured.content
    assert b"Pay by card" not in authorised.content + captured.content


# -- no Stripe call inside a transaction --------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_no_stripe_call_is_made_inside_a_database_transaction(
    client, start_card_checkout, fake_stripe, pharmacist, monkeypatch
):
    inside = []
    real_call = stripe_gateway._call

    def call(what, fn, *args, **kwargs):
        inside.append((what, connection.in_atomic_block))
        return real_call(what, fn, *args, **kwargs)

    monkeypatch.setattr(stripe_gateway, "_call", call)

    start_card_checkout()
    client.get(reverse("checkout:stripe-return"), {"session_id": "cs_test_1"})
    webhook_post(client, stripe_event("checkout.session.completed"))
    order = Order.objects.get()
    pharmacist_checks_record(order=order)
    fake_stripe.decline_captures()
    with pytest.raises(actions.OrderActionRefused):
        actions.order_approve(order=order, actor=pharmacist)
    fake_stripe.recover()
    link = repayment.pay_again_url(order=order)
    Client().post(path_of(link))
    Client().get(path_of(link) + "return/", {"session_id": "cs_test_2"})
    actions.order_approve(order=order, actor=pharmacist)
    actions.order_cancel(order=order, actor=pharmacist, reason="Asked")

    whats = {what for what, _ in inside}
    assert {"start the payment", "take the payment", "refund the payment"} <= whats
    assert [entry for entry in inside if entry[1]] == []
