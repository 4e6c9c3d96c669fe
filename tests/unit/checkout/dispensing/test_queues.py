"""No open order can fall out of every pharmacist's queue, and the status enum
and Oscar's pipeline agree."""

import pytest
from django.conf import settings

from checkout.dispensing import queues
from checkout.orders.workflow import OrderStatus


@pytest.mark.parametrize("status", OrderStatus.values)
def test_every_open_status_is_in_a_queue_other_than_all(status):
    if status in queues.CLOSED:
        assert queues.queues_showing(status=status) == []
    else:
        assert queues.queues_showing(status=status), f"{status!r} is in no queue"


def test_every_status_is_in_the_pipeline_and_nothing_else_is():
    pipeline = settings.OSCAR_ORDER_STATUS_PIPELINE
    assert set(pipeline) == set(OrderStatus.values)
    for following in pipeline.values():
        assert set(following) <= set(OrderStatus.values)


def test_closed_statuses_lead_nowhere_and_open_ones_somewhere():
    pipeline = settings.OSCAR_ORDER_STATUS_PIPELINE
    for status in OrderStatus.values:
        assert (pipeline[status] == ()) is (status in queues.CLOSED)


def test_on_hold_can_be_approved_or_resumed_and_nothing_ships_unapproved():
    pipeline = settings.OSCAR_ORDER_STATUS_PIPELINE
    assert OrderStatus.APPROVED in pipeline[OrderStatus.ON_HOLD]
    assert OrderStatus.AWAITING_REVIEW in pipeline[OrderStatus.ON_HOLD]
    shipping_from = [s for s, nxt in pipeline.items() if OrderStatus.DISPATCHED in nxt]
    assert shipping_from == [OrderStatus.FILLED]
    filled_from = [s for s, nxt in pipeline.items() if OrderStatus.FILLED in nxt]
    assert filled_from == [OrderStatus.APPROVED]
