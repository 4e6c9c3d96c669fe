"""The limit of 3 reviews an hour holds when reviews arrive at once."""

import threading

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from catalog.reviews.models import ProductReview
from tests.factories import make_drug
from tests.integration.reviews.conftest import post_review

ON_POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
AT_ONCE = 8

pytestmark = [
    pytest.mark.skipif(
        not ON_POSTGRES,
        reason="Needs PostgreSQL (set DATABASE_URL): concurrent writers and row locks",
    ),
    pytest.mark.django_db(transaction=True),
]


def test_eight_reviews_sent_at_once_from_one_ip_store_three():
    product = make_drug(sections=1).product
    start = threading.Barrier(AT_ONCE)
    statuses = []

    def send(n: int):
        try:
            client = Client()
            start.wait()
            response = post_review(
                client, product, ip="198.51.100.7", email=f"buyer{n}@example.com"
            )
            statuses.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(n,)) for n in range(AT_ONCE)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert len(statuses) == AT_ONCE
    assert ProductReview.objects.filter(product=product).count() == 3
