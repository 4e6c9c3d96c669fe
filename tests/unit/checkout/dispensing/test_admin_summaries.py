"""What the queue and the confirmation pages say about the card or invoice."""

import datetime
from decimal import Decimal

import pytest
from oscar.apps.order.models import Order

from checkout.dispensing.admin.summaries import authorisation_summary, card_effect
from checkout.orders.workflow import OrderStatus
from checkout.payments.models import OrderPayment
from checkout.payments.states import PaymentMethod, PaymentState

PLACED = datetime.datetime(2026, 11, 20, 12, 0, tzinfo=datetime.UTC)


def order(*, card: bool, debited: str = "0", status=OrderStatus.AWAITING_REVIEW):
    """An unsaved order with its payment, as the queue loads them together."""
    if not card:
        state = PaymentState.INVOICE_DUE
    elif Decimal(debited):
        state = PaymentState.CAPTURED
    else:
        state = PaymentState.AUTHORISED
    the_order = Order(
        status=status,
        date_placed=PLACED,
        total_incl_tax=Decimal("43.65"),
        currency="USD",
    )
    the_order.payment = OrderPayment(
        order=the_order,
        method=PaymentMethod.CARD if card else PaymentMethod.INVOICE,
        state=state,
        amount=Decimal("43.65"),
        currency="USD",
        authorised_at=PLACED if card else None,
    )
    return the_order


def test_a_card_hold_shows_the_time_left_on_its_authorisation():
    now = PLACED + datetime.timedelta(days=2, hours=3)

    assert (
        authorisation_summary(order(card=True), now=now)
        == "4 days 21 hours left on the card authorisation"
    )


def test_a_card_hold_past_seven_days_is_shown_as_expired():
    now = PLACED + datetime.timedelta(days=7, minutes=1)

    assert "expired" in authorisation_summary(order(card=True), now=now)


@pytest.mark.parametrize(
    "status", [OrderStatus.ON_HOLD, OrderStatus.PRESCRIPTION_REQUESTED]
)
def test_an_order_on_hold_keeps_its_card_hold(status):
    now = PLACED + datetime.timedelta(days=1)

    assert "left on the card" in authorisation_summary(
        order(card=True, status=status), now=now
    )


def test_an_invoice_order_has_nothing_to_capture():
    assert authorisation_summary(order(card=False)) == "Invoice — nothing to capture"


@pytest.mark.parametrize(
    ("card", "debited", "action", "says"),
    [
        (True, "0", "approve", "charged 43.65 USD"),
        (False, "0", "approve", "An invoice for 43.65 USD is issued"),
        (True, "0", "reject", "authorisation is released"),
        (True, "43.65", "cancel", "refunded in full"),
        (True, "43.65", "refund", "refunded in full"),
        (True, "43.65", "approve", "nothing more is taken"),
        (False, "0", "cancel", "invoice is voided"),
        (True, "0", "hold", "stays in place"),
        (True, "43.65", "dispatch", "charged at approval"),
    ],
)
def test_each_confirmation_says_what_happens_to_the_card(card, debited, action, says):
    assert says in card_effect(order(card=card, debited=debited), action=action)
