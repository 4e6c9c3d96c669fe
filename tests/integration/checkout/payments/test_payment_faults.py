"""Faults around the money: a crash between any two steps of a capture, a
release or a refund; a declined capture; a lapsed authorisation; a Stripe that
answers too late. After reconciliation the order and (fake) Stripe agree, and
no card is charged twice."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from oscar.apps.order.models import Order

from checkout.orders import actions, finishing
from checkout.orders.models import OrderEvent
from checkout.orders.workflow import OrderStatus
from checkout.payments import ledger, reconciliation, stripe_gateway
from checkout.payments.models import OrderPayment
from checkout.payments.states import PaymentState
from pharmacy.core.models import OutboundEmail
from pharmacy.staff.groups import staff_groups_ensure
from pharmacy.staff.roles import PHARMACISTS
from tests.checkout_helpers import pharmacist_checks_record
from tests.factories import UserFactory

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


def payment() -> OrderPayment:
    return OrderPayment.objects.get()


def fresh(order) -> Order:
    return Order.objects.get(pk=order.pk)


def reconcile():
    return reconciliation.payments_reconcile(older_than=datetime.timedelta(0))


# -- crashes between the steps ----------------------------------------------------

# Where the process dies: before Stripe is called (after the intent is
# recorded), after Stripe answered (before the answer is recorded), or while
# the answer is being recorded (its transaction rolls back).
CRASH_POINTS = ("before_stripe", "after_stripe", "while_recording")
GATEWAY_CALL = {
    "approve": "payment_capture",
    "reject": "payment_release",
    "cancel": "payment_refund",
}


def crash_at(monkeypatch, *, point: str, action: str) -> None:
    name = GATEWAY_CALL[action]
    real = getattr(stripe_gateway, name)
    if point == "before_stripe":

        def call(**kwargs):
            raise Crash

    elif point == "after_stripe":

        def call(**kwargs):
            real(**kwargs)
            raise Crash

    else:
        call = real

        def finish(**kwargs):
            raise Crash

        monkeypatch.setattr(finishing, "action_finish", finish)
    monkeypatch.setattr(stripe_gateway, name, call)


def act(action: str, order, pharmacist):
    if action == "approve":
        return actions.order_approve(order=order, actor=pharmacist)
    if action == "reject":
        return actions.order_reject(order=order, actor=pharmacist, reason="No")
    return actions.order_cancel(order=order, actor=pharmacist, reason="Asked")


EXPECTED = {
    # action: (order status, payment state, Stripe's intent status)
    "approve": (OrderStatus.APPROVED, PaymentState.CAPTURED, "succeeded"),
    "reject": (OrderStatus.REJECTED, PaymentState.RELEASED, "canceled"),
    "cancel": (OrderStatus.CANCELLED, PaymentState.REFUNDED, "succeeded"),
}
IN_FLIGHT = {
    "approve": PaymentState.CAPTURE_REQUESTED,
    "reject": PaymentState.RELEASE_REQUESTED,
    "cancel": PaymentState.REFUND_REQUESTED,
}


@pytest.mark.parametrize("point", CRASH_POINTS)
@pytest.mark.parametrize("action", ["approve", "reject", "cancel"])
def test_a_crash_between_steps_is_repaired_by_reconciliation(
    card_order, fake_stripe, pharmacist, monkeypatch, action, point
):
    if action == "cancel":  # cancelling after the card was charged: a refund
        actions.order_approve(order=card_order, actor=pharmacist)
    status_before = fresh(card_order).status

    with monkeypatch.context() as patch:
        crash_at(patch, point=point, action=action)
        with pytest.raises(Crash):
            act(action, card_order, pharmacist)

    # The intent is recorded; the order has not moved yet.
    assert payment().state == IN_FLIGHT[action]
    assert payment().pending_actor == pharmacist
    assert fresh(card_order).status == status_before
    assert ledger.payment_in_flight(fresh(card_order))

    reconcile()

    status, state, intent_status = EXPECTED[action]
    order = fresh(card_order)
    assert order.status == status
    assert payment().state == state
    assert fake_stripe.intent()["status"] == intent_status
    assert fake_stripe.captures_made == (0 if action == "reject" else 1)
    assert len(fake_stripe.refunds) == (1 if action == "cancel" else 0)
    # The pharmacist who pressed the button is who the record names.
    assert OrderEvent.objects.filter(order=order).last().actor == pharmacist
    # Reconciling again changes nothing and calls Stripe for nothing.
    calls = len(fake_stripe.calls)
    assert reconcile() == {}
    assert len(fake_stripe.calls) == calls


def test_pressing_approve_again_after_a_crash_does_not_capture_twice(
    card_order, fake_stripe, pharmacist, monkeypatch
):
    with monkeypatch.context() as patch:
        crash_at(patch, point="after_stripe", action="approve")
        with pytest.raises(Crash):
            actions.order_approve(order=card_order, actor=pharmacist)

    actions.order_approve(order=card_order, actor=pharmacist)

    assert fresh(card_order).status == OrderStatus.APPROVED
    assert fake_stripe.captures_made == 1
    # Asked Stripe first, so no second capture request at all.
    assert len(fake_stripe.requests("POST", CAPTURE)) == 1


def test_reconciliation_leaves_a_request_in_progress_alone(
    card_order, fake_stripe, pharmacist, monkeypatch
):
    with monkeypatch.context() as patch:
        crash_at(patch, point="before_stripe", action="approve")
        with pytest.raises(Crash):
            actions.order_approve(order=card_order, actor=pharmacist)

    assert reconciliation.payments_reconcile() == {}  # younger than 2 minutes

    assert payment().state == PaymentState.CAPTURE_REQUESTED
    assert fake_stripe.requests("POST", CAPTURE) == []


def test_other_actions_wait_while_a_capture_is_in_flight(
    card_order, fake_stripe, pharmacist, monkeypatch
):
    with monkeypatch.context() as patch:
        crash_at(patch, point="after_stripe", action="approve")
        with pytest.raises(Crash):
            actions.order_approve(order=card_order, actor=pharmacist)

    with pytest.raises(actions.OrderActionRefused, match="in progress"):
        actions.order_reject(order=card_order, actor=pharmacist, reason="No")

    assert fake_stripe.requests("POST", CANCEL) == []


# -- Stripe says no, or too late ----------------------------------------------------


def test_a_declined_capture_is_a_payment_problem_and_the_customer_can_pay_again(
    card_order, fake_stripe, pharmacist, django_capture_on_commit_callbacks
):
    fake_stripe.decline_captures()

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(actions.OrderActionRefused, match="insufficient funds"),
    ):
        actions.order_approve(order=card_order, actor=pharmacist)

    order = fresh(card_order)
    assert order.status == OrderStatus.AWAITING_REVIEW
    assert payment().state == PaymentState.CAPTURE_FAILED
    assert "insufficient funds" in ledger.payment_problem(order)
    assert "Payment problem" in ledger.payment_summary(order)
    assert fake_stripe.captures_made == 0
    [email] = mail.outbox
    assert "please pay again" in email.subject
    assert "Your card has insufficient funds." in email.body
    assert "/checkout/pay-again/" in email.body
    sent = OutboundEmail.objects.get(subject=email.subject)
    assert sent.status == OutboundEmail.Status.SENT


def test_a_lapsed_authorisation_is_a_payment_problem_with_the_reason(
    card_order, fake_stripe, pharmacist, django_capture_on_commit_callbacks
):
    fake_stripe.lapse()

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(actions.OrderActionRefused, match="lapsed"),
    ):
        actions.order_approve(order=card_order, actor=pharmacist)

    order = fresh(card_order)
    assert order.status == OrderStatus.AWAITING_REVIEW
    assert "lapsed" in ledger.payment_problem(order)
    assert fake_stripe.captures_made == 0
    [email] = mail.outbox
    assert "expired before our pharmacist" in " ".join(email.body.split())


def test_reconciliation_finds_an_authorisation_that_lapsed_while_waiting(
    card_order, fake_stripe, django_capture_on_commit_callbacks
):
    OrderPayment.objects.update(
        authorised_at=timezone.now() - datetime.timedelta(days=7, minutes=1)
    )
    fake_stripe.lapse()

    with django_capture_on_commit_callbacks(execute=True):
        counts = reconcile()

    assert counts == {"lapsed": 1}
    assert payment().state == PaymentState.CAPTURE_FAILED
    assert "lapsed" in ledger.payment_problem(fresh(card_order))
    assert len(mail.outbox) == 1


@pytest.mark.parametrize("stripe_server", ["threaded"], indirect=True)
def test_a_capture_whose_answer_times_out_is_settled_by_reconciliation(
    card_order, fake_stripe, pharmacist, settings
):
    settings.STRIPE_TIMEOUT_SECONDS = 0.3
    fake_stripe.delays[("POST", CAPTURE)] = 1.0

    with pytest.raises(actions.OrderActionRefused, match="did not answer"):
        actions.order_approve(order=card_order, actor=pharmacist)

    # Stripe did charge the card; we did not hear it.
    assert fake_stripe.intent()["status"] == "succeeded"
    assert payment().state == PaymentState.CAPTURE_REQUESTED
    assert fresh(card_order).status == OrderStatus.AWAITING_REVIEW
    # The library's retries reused the one idempotency key.
    tries = fake_stripe.requests("POST", CAPTURE)
    assert {t.idempotency_key for t in tries} == {"capture-pi_test_1"}

    fake_stripe.delays.clear()
    reconcile()

    assert payment().state == PaymentState.CAPTURED
    assert fresh(card_order).status == OrderStatus.APPROVED
    assert fresh(card_order).sources.get().amount_debited == payment().amount
    assert fake_stripe.captures_made == 1


def test_stripe_unreachable_during_reconciliation_leaves_it_for_next_time(
    card_order, fake_stripe, pharmacist, monkeypatch
):
    with monkeypatch.context() as patch:
        crash_at(patch, point="before_stripe", action="approve")
        with pytest.raises(Crash):
            actions.order_approve(order=card_order, actor=pharmacist)
    fake_stripe.offline()

    assert reconcile() == {PaymentState.CAPTURE_REQUESTED: 1}

    fake_stripe.recover()
    assert reconcile() == {PaymentState.CAPTURED: 1}
    assert fake_stripe.captures_made == 1


# -- what the queue shows -------------------------------------------------------------


def test_an_authorisation_lapsing_within_a_day_is_flagged(card_order):
    placed = timezone.now()
    OrderPayment.objects.update(authorised_at=placed)
    order = fresh(card_order)

    in_five_days = placed + datetime.timedelta(days=5)
    in_six_and_a_half = placed + datetime.timedelta(days=6, hours=12)

    assert not ledger.authorisation_lapses_within(order, now=in_five_days)
    assert ledger.authorisation_lapses_within(order, now=in_six_and_a_half)
    assert ledger.payment_summary(order, now=in_six_and_a_half).startswith(
        "Lapses soon: 12 hours left"
    )


def test_the_management_command_reconciles(
    card_order, fake_stripe, pharmacist, monkeypatch
):
    from django.core.management import call_command

    with monkeypatch.context() as patch:
        crash_at(patch, point="after_stripe", action="approve")
        with pytest.raises(Crash):
            actions.order_approve(order=card_order, actor=pharmacist)

    call_command("reconcile_payments", "--older-than-minutes", "0")

    assert payment().state == PaymentState.CAPTURED
    assert fake_stripe.captures_made == 1


# -- two pharmacists at once ----------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("stripe_server", ["threaded"], indirect=True)
def test_two_pharmacists_approving_at_once_charge_the_card_once(
    client, start_card_checkout, fake_stripe, pharmacist
):
    import threading

    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    start_card_checkout()
    client.get(reverse("checkout:stripe-return"), {"session_id": "cs_test_1"})
    order = Order.objects.get()
    pharmacist_checks_record(order=order)
    other = UserFactory(is_staff=True)
    other.groups.add(staff_groups_ensure()[PHARMACISTS])
    # Stripe takes a moment to answer the capture, so the presses overlap.
    fake_stripe.delays[("POST", CAPTURE)] = 0.5
    results = {}

    def approve(who):
        try:
            results[who.pk] = actions.order_approve(order=order, actor=who)
        except Exception as exc:  # reported by the asserts below
            results[who.pk] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(u,)) for u in (pharmacist, other)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert fake_stripe.captures_made == 1
    assert payment().state == PaymentState.CAPTURED
    assert fresh(order).status == OrderStatus.APPROVED
    assert OrderEvent.objects.filter(action="approved").count() == 1
    assert fresh(order).sources.get().amount_debited == payment().amount


def test_a_crash_after_the_shopper_paid_is_placed_by_reconciliation(
    client, start_card_checkout, fake_stripe, monkeypatch
):
    from checkout.orders import placing
    from checkout.orders.models import CheckoutAttempt

    _, attempt = start_card_checkout()
    with monkeypatch.context() as patch:

        def crash(**kwargs):
            raise Crash

        patch.setattr(placing, "order_place", crash)
        with pytest.raises(Crash):
            client.get(reverse("checkout:stripe-return"), {"session_id": "cs_test_1"})
    assert Order.objects.count() == 0

    assert reconcile() == {}  # the shopper may still be paying: left alone
    CheckoutAttempt.objects.update(
        created_at=timezone.now() - datetime.timedelta(minutes=31)
    )
    assert reconcile() == {"order placed": 1}

    order = Order.objects.get()
    assert order.number == attempt.order_number
    assert payment().state == PaymentState.AUTHORISED
    assert fake_stripe.captures_made == 0
