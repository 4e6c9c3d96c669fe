"""Approval asks the too-early rule again: two refills requested at once both
passed it when requested, but only one may be approved until the supply it
gives has run down."""

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from catalog.partner.strategy import Selector
from checkout.basket.models import Basket
from checkout.dispensing.models import PrescriptionRecord
from checkout.dispensing.refills import services
from checkout.orders import actions, placing
from checkout.orders.workflow import OrderStatus
from tests.checkout_helpers import checkout_attempt

from .conftest import approved_days_ago

pytestmark = pytest.mark.django_db


def refill_basket(*, record, customer) -> Basket:
    basket = Basket.objects.create(owner=customer)
    basket.strategy = Selector().strategy()
    services.refill_to_basket(record=record, basket=basket)
    return basket


def placed(basket):
    attempt = checkout_attempt(basket=basket, with_prescription=False)
    return placing.order_place(attempt_id=attempt.pk)


@pytest.fixture
def two_refills(customer, record, first_order):
    """Day 9 of a 10-day supply, two fills left, and two refills requested in
    the same moment (both baskets filled before either order was placed)."""
    approved_days_ago(first_order, 9)
    PrescriptionRecord.objects.filter(pk=record.pk).update(
        refills_authorised=2, quantity_left=60
    )
    record.refresh_from_db()
    baskets = [refill_basket(record=record, customer=customer) for _ in range(2)]
    return [placed(basket) for basket in baskets]


def test_the_second_of_two_refills_is_refused_as_too_early(two_refills, pharmacist):
    first, second = two_refills
    actions.order_approve(order=first, actor=pharmacist)

    with pytest.raises(actions.OrderActionRefused, match="Too early to refill"):
        actions.order_approve(order=second, actor=pharmacist)

    second.refresh_from_db()
    assert second.status == OrderStatus.AWAITING_REVIEW
    assert PrescriptionRecord.objects.get().quantity_left == 30


def test_the_review_page_refuses_it_too_and_says_when(two_refills, pharmacist):
    first, second = two_refills
    actions.order_approve(order=first, actor=pharmacist)
    client = Client()
    client.force_login(pharmacist)

    url = reverse("admin:checkout_queueorder_action", args=[second.pk, "approve"])
    response = client.post(url, {})

    shown = " ".join(str(m) for m in get_messages(response.wsgi_request))
    assert f"Order {second.number} was not approved" in shown
    assert "10 days' supply" in shown and "may be approved from" in shown
    second.refresh_from_db()
    assert second.status == OrderStatus.AWAITING_REVIEW


def test_once_the_supply_has_run_down_the_second_refill_is_approved(
    two_refills, pharmacist
):
    first, second = two_refills
    actions.order_approve(order=first, actor=pharmacist)
    approved_days_ago(first, 3)  # 7 of 10 days left: within the share allowed

    actions.order_approve(order=second, actor=pharmacist)

    second.refresh_from_db()
    assert second.status == OrderStatus.APPROVED
