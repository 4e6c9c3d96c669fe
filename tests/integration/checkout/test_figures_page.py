"""The figures page in the admin: /metrics's figures in words, a chart of the
last 30 days' longest waits for a pharmacist, and only the superintendent
lets in."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from checkout.figures_page import figures_in_words
from checkout.orders import workflow
from checkout.orders.models import OrderEvent
from checkout.payments.models import OrderPayment
from checkout.payments.states import PaymentMethod, PaymentState
from checkout.pharmacy_figures import pharmacy_figures
from checkout.waiting_chart import wait_chart
from checkout.waiting_times import daily_longest_waits
from pharmacy.core.models import OutboundEmail
from pharmacy.staff.admin_table import ANONYMOUS, CUSTOMER, ROLES
from pharmacy.staff.roles import SUPERINTENDENTS
from tests.checkout_helpers import place_order
from tests.factories import UserFactory, signed_in, staff_in
from tests.html import page as parsed
from tests.html import text

URL = "/admin/figures/"


def text_of(response) -> str:
    return text(parsed(response))


def local(*args) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(*args))


def placed_at(order, when):
    type(order).objects.filter(pk=order.pk).update(date_placed=when)


def decided(order, history: str, when):
    event = OrderEvent.objects.create(order=order, action=history)
    OrderEvent.objects.filter(pk=event.pk).update(created_at=when)


@pytest.fixture
def pack(drug, private_root):
    return drug.product.children.order_by("pk").first()


def test_the_page_says_the_metrics_figures_in_words(db, pack):
    now = timezone.now()
    waiting = [place_order(product=pack, method=PaymentMethod.CARD) for _ in range(3)]
    placed_at(waiting[0], now - datetime.timedelta(hours=2, minutes=10))
    OrderPayment.objects.filter(order=waiting[1]).update(
        state=PaymentState.AUTHORISED,
        authorised_at=now - datetime.timedelta(days=6, hours=12),
    )
    OrderPayment.objects.filter(order=waiting[2]).update(
        state=PaymentState.CAPTURE_FAILED
    )
    OutboundEmail.objects.create(
        from_email="a@b.invalid", subject="s", status=OutboundEmail.Status.FAILED
    )
    superintendent = staff_in(SUPERINTENDENTS)

    response = signed_in(superintendent).get(URL)

    assert response.status_code == 200
    page = text_of(response)
    said = figures_in_words(pharmacy_figures(), now=timezone.now())
    assert said[0].startswith(
        "3 orders wait for a pharmacist; the oldest has waited 2\xa0hours, 1"
    )  # 10 minutes, or 11 if the clock turned meanwhile
    assert said[1:] == [
        "No approved orders wait to be dispatched.",
        "No orders are on hold or waiting for the prescriber.",
        "1 card hold lapses within a day.",
        "1 order has a payment problem (the card could not be charged).",
        "1 email to a customer could not be sent.",
        "No refill reminders have been sent in all.",
    ]
    for sentence in said[1:]:
        assert sentence in page
    assert "3 orders wait for a pharmacist; the oldest has waited 2" in page
    for order in waiting:
        assert order.number not in page  # counts only


def test_each_day_shows_the_longest_wait_until_a_first_decision(db, pack):
    now = local(2026, 11, 20, 15, 0)
    quick, slow, held_then_approved, earlier, still_waiting = (
        place_order(product=pack) for _ in range(5)
    )
    # 18 November: two first decisions, after 2 hours and after 5 hours.
    placed_at(quick, local(2026, 11, 18, 9, 0))
    decided(quick, workflow.APPROVE.history, local(2026, 11, 18, 11, 0))
    placed_at(slow, local(2026, 11, 18, 8, 0))
    decided(slow, workflow.REJECT.history, local(2026, 11, 18, 13, 0))
    # 19 November: held after 30 minutes; its approval the next day is not
    # its first decision.
    placed_at(held_then_approved, local(2026, 11, 19, 10, 0))
    decided(held_then_approved, workflow.HOLD.history, local(2026, 11, 19, 10, 30))
    decided(held_then_approved, workflow.APPROVE.history, local(2026, 11, 20, 9, 0))
    # First decided before the 30 days: its later decision is not counted.
    placed_at(earlier, local(2026, 10, 1, 9, 0))
    decided(earlier, workflow.HOLD.history, local(2026, 10, 1, 10, 0))
    decided(earlier, workflow.APPROVE.history, local(2026, 11, 20, 10, 0))
    placed_at(still_waiting, local(2026, 11, 20, 8, 0))

    waits = daily_longest_waits(now=now)

    assert len(waits) == 30
    assert waits[0].day == datetime.date(2026, 10, 22)
    assert waits[-1].day == datetime.date(2026, 11, 20)
    by_day = {w.day: (w.decided, w.longest_seconds) for w in waits if w.decided}
    assert by_day == {
        datetime.date(2026, 11, 18): (2, 5 * 3600),
        datetime.date(2026, 11, 19): (1, 30 * 60),
    }
    chart = wait_chart(waits=waits)
    tall, short = chart.bars
    assert (tall.wait.day, short.wait.day) == (
        datetime.date(2026, 11, 18),
        datetime.date(2026, 11, 19),
    )
    # The axis tops at 8 hours: 5 hours is 5/8 of the 158-pixel plot.
    assert [t.label for t in chart.y_ticks] == ["0 h", "2 h", "4 h", "6 h", "8 h"]
    assert tall.y == pytest.approx(12 + 158 * 3 / 8)
    assert tall.height == pytest.approx(158 * 5 / 8)
    assert short.height == pytest.approx(158 * 0.5 / 8)
    assert short.x > tall.x
    assert chart.x_ticks[-1].label == "20 Nov"


def test_with_no_decision_in_30_days_there_is_no_chart_and_the_page_says_so(db):
    assert wait_chart(waits=daily_longest_waits()) is None

    response = signed_in(staff_in(SUPERINTENDENTS)).get(URL)

    assert "nothing to draw" in text_of(response)


def test_the_page_lists_each_decided_day_for_screen_readers(db, pack):
    order = place_order(product=pack)
    now = timezone.now()
    placed_at(order, now - datetime.timedelta(hours=3, minutes=5))
    decided(order, workflow.APPROVE.history, now - datetime.timedelta(minutes=5))

    response = signed_in(staff_in(SUPERINTENDENTS)).get(URL)

    page = text_of(response)
    assert "Orders first decided" in page
    assert "3 hours" in page
    assert "29 of the 30 days had no first decision." in page
    assert b'role="img"' in response.content


@pytest.mark.parametrize("role", ROLES)
def test_only_the_superintendent_opens_the_figures(db, role):
    if role == ANONYMOUS:
        client = Client()
    elif role == CUSTOMER:
        client = signed_in(UserFactory())
    else:
        client = signed_in(staff_in(role))

    response = client.get(URL)
    index = client.get(reverse("admin:index"))

    if role == SUPERINTENDENTS:
        assert response.status_code == 200
        assert URL.encode() in index.content
    elif role in (CUSTOMER, ANONYMOUS):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
    else:
        assert response.status_code == 403
        assert index.status_code == 200
        assert URL.encode() not in index.content
