"""The pharmacist's queue: built on orders, oldest first, one row per order
with what the pharmacist decides on; no open order is ever out of sight."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from oscar.apps.order.models import Order

from checkout.dispensing import queues
from checkout.dispensing.models import Prescription
from checkout.orders.workflow import OrderStatus
from checkout.payments.models import OrderPayment
from checkout.payments.states import PaymentState
from tests.checkout_helpers import place_order
from tests.integration.checkout.dispensing.admin.conftest import (
    QUEUE,
    html,
    order_for,
    pack,
    review_url,
)


def listed(client, queue: str | None = None) -> list[str]:
    response = client.get(QUEUE + (f"?queue={queue}" if queue else ""))
    assert response.status_code == 200
    return [o.number for o in response.context["cl"].result_list]


def test_every_open_status_is_listed_by_a_queue_other_than_all(
    pharmacist_client, rx_drug
):
    """An order no queue shows, but that is still open, must be impossible."""
    by_status = {}
    for status in OrderStatus.values:
        order = order_for(rx_drug)
        Order.objects.filter(pk=order.pk).update(status=status)
        by_status[status] = order.number
    seen = {
        name: set(listed(pharmacist_client, name))
        for name in queues.QUEUES
        if name != queues.ALL
    }

    for status, number in by_status.items():
        shown_in = [name for name, numbers in seen.items() if number in numbers]
        if status in queues.CLOSED:
            assert not shown_in, status
        else:
            assert shown_in, f"An open order in {status!r} is in no queue"
    assert set(listed(pharmacist_client, queues.ALL)) == set(by_status.values())


def test_an_order_without_a_prescription_row_is_in_the_queue(
    pharmacist_client, rx_drug
):
    order = order_for(rx_drug)
    Prescription.objects.filter(order=order).delete()

    assert order.number in listed(pharmacist_client)


def test_the_queue_is_oldest_first_and_awaiting_review_by_default(
    pharmacist_client, rx_drug
):
    newer, older, approved = order_for(rx_drug), order_for(rx_drug), order_for(rx_drug)
    Order.objects.filter(pk=older.pk).update(
        date_placed=timezone.now() - datetime.timedelta(days=2)
    )
    Order.objects.filter(pk=approved.pk).update(status=OrderStatus.APPROVED)

    assert listed(pharmacist_client) == [older.number, newer.number]
    assert listed(pharmacist_client, "dispatch") == [approved.number]


def test_a_row_shows_patient_age_lines_flags_counselling_and_card(
    pharmacist_client, rx_drug
):
    order = order_for(
        rx_drug,
        current_medicines="Oxycodone",
        counselling_wanted=True,
        counselling_best_time="mornings",
    )

    page = html(pharmacist_client.get(QUEUE))

    assert review_url(order) in page
    assert "Alex Rivera, " in page
    assert "Baclofen" in page
    assert "Interaction with baclofen: Opioids" in page
    assert "Asked to speak to a pharmacist" in page and "mornings" in page
    assert "Invoice" in page


def test_the_changelist_row_opens_the_review_page(pharmacist_client, rx_drug):
    order = order_for(rx_drug)

    response = pharmacist_client.get(f"/admin/checkout/queueorder/{order.pk}/change/")

    assert response.status_code == 302
    assert response["Location"] == review_url(order)


def test_the_queue_has_no_one_click_actions(pharmacist_client, rx_drug):
    order_for(rx_drug)

    page = html(pharmacist_client.get(QUEUE))

    assert 'name="action"' not in page


def queue_queries(client) -> int:
    client.get(QUEUE)  # the session and content types, loaded once
    with CaptureQueriesContext(connection) as queries:
        client.get(QUEUE)
    return len(queries)


def test_the_queue_costs_the_same_queries_for_one_order_or_many(
    pharmacist_client, rx_drug
):
    order_for(rx_drug, current_medicines="diazepam", medical_conditions="renal")
    one = queue_queries(pharmacist_client)
    for _ in range(5):
        order_for(rx_drug, current_medicines="diazepam", medical_conditions="renal")

    assert queue_queries(pharmacist_client) == one


def card_order_for(drug) -> Order:
    order = place_order(product=pack(drug, "10", 30), method="card")
    return Order.objects.get(pk=order.pk)


def test_a_card_order_shows_the_time_left_on_its_authorisation(
    pharmacist_client, rx_drug
):
    card_order_for(rx_drug)
    OrderPayment.objects.update(
        authorised_at=timezone.now() - datetime.timedelta(days=2, minutes=30)
    )

    page = html(pharmacist_client.get(QUEUE))

    assert "4 days 23 hours left on the card authorisation" in page


def test_a_card_order_lapsing_within_a_day_is_flagged(pharmacist_client, rx_drug):
    card_order_for(rx_drug)
    OrderPayment.objects.update(
        authorised_at=timezone.now() - datetime.timedelta(days=6, hours=12)
    )

    page = html(pharmacist_client.get(QUEUE))

    assert "Lapses soon: 11 hours left on the card authorisation" in page


def test_a_card_order_past_seven_days_shows_the_authorisation_expired(
    pharmacist_client, rx_drug
):
    card_order_for(rx_drug)
    OrderPayment.objects.update(
        authorised_at=timezone.now() - datetime.timedelta(days=7, hours=1)
    )

    page = html(pharmacist_client.get(QUEUE))

    assert "Card authorisation expired" in page


def test_a_payment_problem_shows_in_the_queue_with_its_reason(
    pharmacist_client, rx_drug
):
    card_order_for(rx_drug)
    OrderPayment.objects.update(
        state=PaymentState.CAPTURE_FAILED,
        problem="Card declined (card_declined): Your card has insufficient funds.",
    )

    page = html(pharmacist_client.get(QUEUE))

    assert "Payment problem: Card declined" in page
    assert "insufficient funds" in page
