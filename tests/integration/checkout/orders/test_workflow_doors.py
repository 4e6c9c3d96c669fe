"""The order workflow holds whichever door an action comes through: a hold
placed while an approval's capture waits for Stripe is kept by
reconciliation; placing an order refuses an unlicensed state from the
webhook and reconciliation as from the checkout; nothing ships while a
refund is on its way."""

import datetime

import pytest
from django.urls import reverse
from oscar.apps.order.models import Order

from checkout.orders import actions
from checkout.orders.models import CheckoutAttempt, OrderEvent
from checkout.orders.workflow import HoldReason, OrderStatus
from checkout.payments import reconciliation, stripe_gateway
from checkout.payments.models import OrderPayment
from checkout.payments.states import PaymentState
from pharmacy.compliance.models import StateLicence
from pharmacy.staff.groups import staff_groups_ensure
from pharmacy.staff.roles import PHARMACISTS
from tests.checkout_helpers import (
    ADDRESS,
    fill,
    guest_checkout_to_preview,
    pharmacist_checks_record,
)
from tests.factories import UserFactory
from tests.html import page, text
from tests.integration.checkout.conftest import add_url, stripe_event, webhook_post

CAPTURE = "/v1/payment_intents/pi_test_1/capture"
CANCEL = "/v1/payment_intents/pi_test_1/cancel"


class Crash(BaseException):
    """The process dies here: nothing in our code may catch it."""


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


def fresh(order) -> Order:
    return Order.objects.get(pk=order.pk)


def payment() -> OrderPayment:
    return OrderPayment.objects.get()


def reconcile():
    return reconciliation.payments_reconcile(older_than=datetime.timedelta(0))


def approve_without_an_answer(monkeypatch, fake_stripe, order, pharmacist, *, charged):
    """The pharmacist approves and the process dies waiting for Stripe: the
    capture was sent and made (``charged``), or never left."""
    real = stripe_gateway.payment_capture

    def capture(**kwargs):
        if charged:
            real(**kwargs)
        raise Crash

    with monkeypatch.context() as patch:
        patch.setattr(stripe_gateway, "payment_capture", capture)
        with pytest.raises(Crash):
            actions.order_approve(order=order, actor=pharmacist)
    assert payment().state == PaymentState.CAPTURE_REQUESTED


def test_a_hold_put_on_while_the_capture_waits_is_kept_and_nothing_is_charged(
    card_order, fake_stripe, pharmacist, monkeypatch
):
    approve_without_an_answer(
        monkeypatch, fake_stripe, card_order, pharmacist, charged=False
    )

    actions.order_hold(
        order=card_order, actor=pharmacist, reason=HoldReason.DOSE_TO_CHECK
    )
    reconcile()

    order = fresh(card_order)
    assert order.status == OrderStatus.ON_HOLD
    assert payment().state == PaymentState.AUTHORISED
    assert fake_stripe.captures_made == 0
    assert not OrderEvent.objects.filter(order=order, action="approved").exists()
    with pytest.raises(actions.OrderActionRefused):
        actions.order_dispatch(order=order, actor=pharmacist, tracking_reference="T1")


def test_a_hold_is_kept_when_the_card_was_charged_before_it_and_approval_takes_no_more(
    card_order, fake_stripe, pharmacist, monkeypatch
):
    approve_without_an_answer(
        monkeypatch, fake_stripe, card_order, pharmacist, charged=True
    )
    actions.order_hold(
        order=card_order, actor=pharmacist, reason=HoldReason.DOSE_TO_CHECK
    )

    reconcile()

    assert fresh(card_order).status == OrderStatus.ON_HOLD
    assert payment().state == PaymentState.CAPTURED
    assert fresh(card_order).sources.get().amount_debited == payment().amount

    actions.order_approve(order=card_order, actor=pharmacist)

    assert fresh(card_order).status == OrderStatus.APPROVED
    assert fake_stripe.captures_made == 1
    assert fake_stripe.requests("POST", CAPTURE)[-1].idempotency_key == (
        "capture-pi_test_1"
    )


def test_a_held_order_charged_meanwhile_and_then_rejected_is_refunded(
    card_order, fake_stripe, pharmacist, monkeypatch
):
    approve_without_an_answer(
        monkeypatch, fake_stripe, card_order, pharmacist, charged=True
    )
    actions.order_hold(
        order=card_order, actor=pharmacist, reason=HoldReason.DOSE_TO_CHECK
    )
    reconcile()

    actions.order_reject(order=card_order, actor=pharmacist, reason="Not suitable.")

    assert fresh(card_order).status == OrderStatus.REJECTED
    assert payment().state == PaymentState.REFUNDED
    assert fake_stripe.requests("POST", "/v1/refunds")


def test_nothing_is_dispatched_while_a_refund_is_on_its_way(
    card_order, fake_stripe, pharmacist, monkeypatch
):
    actions.order_approve(order=card_order, actor=pharmacist)

    def refund(**kwargs):
        raise stripe_gateway.PaymentGatewayError("no answer")

    monkeypatch.setattr(stripe_gateway, "payment_refund", refund)
    with pytest.raises(actions.OrderActionRefused, match="did not answer"):
        actions.order_cancel(order=card_order, actor=pharmacist, reason="Asked.")
    assert fresh(card_order).status == OrderStatus.APPROVED
    assert payment().state == PaymentState.REFUND_REQUESTED

    # Nothing is filled (so nothing can be dispatched) while a refund is asked.
    with pytest.raises(actions.OrderActionRefused, match="in progress"):
        fill(order=card_order, actor=pharmacist)
    assert fresh(card_order).status == OrderStatus.APPROVED


# -- placing refuses an unlicensed state, whichever door asks ------------------------


def licence_withdrawn_without_a_signal() -> None:
    StateLicence.objects.filter(state=ADDRESS["state"]).update(is_active=False)


def refused_and_released(attempt, fake_stripe) -> None:
    attempt.refresh_from_db()
    assert attempt.status == CheckoutAttempt.Status.FAILED
    assert not Order.objects.exists()
    assert fake_stripe.requests("POST", CANCEL), "the card hold is released"


def test_the_webhook_places_no_order_for_a_state_no_longer_licensed(
    client, start_card_checkout, fake_stripe
):
    _, attempt = start_card_checkout()
    licence_withdrawn_without_a_signal()

    response = webhook_post(client, stripe_event("checkout.session.completed"))

    assert response.status_code == 200
    refused_and_released(attempt, fake_stripe)


def test_reconciliation_places_no_order_for_a_state_no_longer_licensed(
    start_card_checkout, fake_stripe
):
    _, attempt = start_card_checkout()
    licence_withdrawn_without_a_signal()
    CheckoutAttempt.objects.filter(pk=attempt.pk).update(
        created_at=attempt.created_at - datetime.timedelta(hours=1)
    )

    counts = reconcile()

    assert counts == {"checkout refused": 1}
    refused_and_released(attempt, fake_stripe)


def test_the_return_page_places_no_order_for_a_state_no_longer_licensed(
    client, start_card_checkout, fake_stripe
):
    _, attempt = start_card_checkout()
    licence_withdrawn_without_a_signal()

    response = client.get(
        reverse("checkout:stripe-return"), {"session_id": "cs_test_1"}, follow=True
    )

    assert "we can't deliver to Illinois" in text(page(response))
    refused_and_released(attempt, fake_stripe)


def test_a_card_checkout_to_an_unlicensed_state_is_refused_before_paying(
    client, start_card_checkout, fake_stripe, drug
):
    guest_checkout_to_preview(
        client, product_page_add_url=add_url(drug.product), payment="card"
    )
    licence_withdrawn_without_a_signal()

    response = client.post(
        reverse("checkout:preview"), {"action": "place_order"}, follow=True
    )

    assert response.redirect_chain[-1][0] == reverse("checkout:shipping-address")
    assert "we can't deliver to Illinois" in text(page(response))
    assert fake_stripe.requests("POST", "/v1/checkout/sessions") == []
    assert not Order.objects.exists()
