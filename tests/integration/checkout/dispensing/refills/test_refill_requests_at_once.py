"""Two refill requests sent at once (a double click, two tabs) put one pack in
the basket, not two.

The requests race only where rows are locked: SQLite runs each whole
transaction alone, so there both orders of events give one line anyway; on
PostgreSQL the two used to add a pack each.
"""

import pytest
from django.test import Client
from django.urls import reverse

from checkout.basket.models import Basket
from tests.concurrency import at_once

from .conftest import approved_days_ago

REQUESTS = 4

pytestmark = pytest.mark.django_db(transaction=True)


def test_refill_requests_sent_at_once_give_one_line_of_one_pack(
    customer, record, first_order, pack
):
    approved_days_ago(first_order, 9)
    clients = []
    for _ in range(REQUESTS):
        client = Client()
        client.force_login(customer)
        clients.append(client)
    # The customer's basket exists before the clicks, as it does for anyone
    # who has opened a page since signing in.
    Basket.objects.get_or_create(owner=customer, status=Basket.OPEN)

    def request_refill(client: Client) -> int:
        return client.post(
            reverse("refills:refill", kwargs={"pk": record.pk})
        ).status_code

    statuses, unexpected, alive = at_once(request_refill, clients, timeout=60)

    assert (alive, unexpected) == ([], [])
    assert list(statuses.values()) == [302] * REQUESTS
    basket = Basket.objects.get(owner=customer, status=Basket.OPEN)
    lines = [(line.product_id, line.quantity) for line in basket.all_lines()]
    assert lines == [(pack.pk, 1)]
