"""Placing an order: once, with stock allocated, and refused when the total,
the authorisation or the stock does not add up."""

from decimal import Decimal

import pytest
from oscar.apps.order.models import Order

from catalog.models import Strength
from catalog.partner.models import StockRecord
from checkout.dispensing.models import Prescription
from checkout.orders import placing
from checkout.orders.models import CheckoutAttempt
from checkout.orders.workflow import OrderStatus
from checkout.payments.states import PaymentMethod
from tests.factories import UserFactory
from tests.integration.checkout.orders.conftest import (
    ALLERGY,
    events,
    new_attempt,
    place,
    stock_of,
)

# -- placing ---------------------------------------------------------------------------


def test_placing_allocates_stock_and_records_who_placed_it(pack):
    before = stock_of(pack)
    customer = UserFactory()

    order = place(pack, owner=customer)

    after = stock_of(pack)
    assert order.status == OrderStatus.AWAITING_REVIEW
    assert after.num_in_stock == before.num_in_stock
    assert after.num_allocated == (before.num_allocated or 0) + 2
    assert events(order) == [("placed", customer.pk, "", OrderStatus.AWAITING_REVIEW)]
    assert order.patient.allergies == ALLERGY
    assert order.prescription.decision == Prescription.Decision.PENDING
    assert order.lines.get().stockrecord == after


def test_placing_twice_places_one_order(pack):
    attempt = new_attempt(pack)

    first = placing.order_place(attempt_id=attempt.pk)
    second = placing.order_place(attempt_id=attempt.pk)

    assert first == second
    assert Order.objects.count() == 1
    assert stock_of(pack).num_allocated == 2


def test_an_attempt_whose_amount_differs_from_the_basket_total_is_refused(pack):
    # The basket comes to 2 x 38.70 + 4.95 = 82.35.
    attempt = new_attempt(pack, amount=Decimal("0.01"))

    with pytest.raises(placing.OrderNotPlaced, match="did not match"):
        placing.order_place(attempt_id=attempt.pk)

    attempt.refresh_from_db()
    assert attempt.status == CheckoutAttempt.Status.MISMATCH
    assert "82.35" in attempt.note
    assert attempt.order is None
    assert not Order.objects.exists()
    assert not stock_of(pack).num_allocated
    # And it stays refused: a mismatched checkout can't be placed later.
    with pytest.raises(placing.OrderNotPlaced):
        placing.order_place(attempt_id=attempt.pk)
    assert not Order.objects.exists()


def test_a_price_change_after_pressing_place_order_is_refused(pack):
    attempt = new_attempt(pack)
    StockRecord.objects.filter(product=pack).update(price=Decimal("1.00"))

    with pytest.raises(placing.OrderNotPlaced):
        placing.order_place(attempt_id=attempt.pk)

    attempt.refresh_from_db()
    assert attempt.status == CheckoutAttempt.Status.MISMATCH
    assert not Order.objects.exists()


@pytest.mark.parametrize(
    ("authorised", "currency"),
    [(Decimal("82.34"), "USD"), (Decimal("82.35"), "EUR"), (Decimal("0"), None)],
)
def test_a_card_authorisation_that_differs_from_the_total_is_refused(
    pack, authorised, currency
):
    attempt = new_attempt(pack, method=PaymentMethod.CARD)
    assert attempt.amount == Decimal("82.35")

    with pytest.raises(placing.OrderNotPlaced):
        placing.order_place(
            attempt_id=attempt.pk,
            authorised_amount=authorised,
            authorised_currency=currency,
        )

    attempt.refresh_from_db()
    assert attempt.status == CheckoutAttempt.Status.MISMATCH
    assert not Order.objects.exists()


def test_more_packs_than_in_stock_are_refused_before_oscar_allocates(pack):
    StockRecord.objects.filter(product=pack).update(num_in_stock=3, num_allocated=2)
    attempt = new_attempt(pack, quantity=2)

    with pytest.raises(placing.OrderNotPlaced, match="sold out"):
        placing.order_place(attempt_id=attempt.pk)

    record = stock_of(pack)
    assert (record.num_in_stock, record.num_allocated) == (3, 2)
    assert not Order.objects.exists()
    attempt.refresh_from_db()
    assert attempt.status == CheckoutAttempt.Status.PENDING


def test_a_strength_withdrawn_while_the_shopper_pays_is_refused(pack, drug):
    # A card checkout is placed later, from Stripe's return page or webhook.
    attempt = new_attempt(pack, method=PaymentMethod.CARD)
    # No signal from a bulk update: the final check must read the database.
    Strength.objects.filter(drug=drug, mg=Decimal("10")).update(is_available=False)

    with pytest.raises(placing.OrderNotPlaced, match="no longer available"):
        placing.order_place(
            attempt_id=attempt.pk,
            authorised_amount=attempt.amount,
            authorised_currency="USD",
        )

    assert not Order.objects.exists()
    assert not stock_of(pack).num_allocated
    attempt.refresh_from_db()
    assert attempt.order is None
