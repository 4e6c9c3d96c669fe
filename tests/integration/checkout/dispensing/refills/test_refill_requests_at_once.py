"""Two refill requests sent at once (a double click, two tabs) put one pack in
the basket, not two.

The requests race only where rows are locked: SQLite runs each whole
transaction alone, so there both orders of events give one line anyway; on
PostgreSQL the two used to add a pack each.
"""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from checkout.basket.models import Basket

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
    start = threading.Barrier(REQUESTS)
    statuses: list[int] = []
    lock = threading.Lock()

    def request_refill(client: Client) -> None:
        try:
            start.wait(timeout=30)
            response = client.post(reverse("refills:refill", kwargs={"pk": record.pk}))
            with lock:
                statuses.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=request_refill, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert statuses == [302] * REQUESTS
    basket = Basket.objects.get(owner=customer, status=Basket.OPEN)
    lines = [(line.product_id, line.quantity) for line in basket.all_lines()]
    assert lines == [(pack.pk, 1)]
