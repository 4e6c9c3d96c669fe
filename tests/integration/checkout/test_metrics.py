"""/metrics: closed without its token; with it, requests by view and the
pharmacy's own figures, counts only."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from checkout.payments.models import OrderPayment
from checkout.payments.states import PaymentMethod, PaymentState
from pharmacy.core.models import OutboundEmail
from tests.checkout_helpers import place_order

TOKEN = "a-test-metrics-token"


@pytest.fixture
def token(settings):
    settings.METRICS_TOKEN = TOKEN


def scrape(**headers):
    return Client().get(reverse("metrics"), headers=headers)


def figure(body: str, name: str) -> float:
    line = next(
        x
        for x in body.splitlines()
        if x.startswith(name + " ") or x.startswith(name + "{")
    )
    return float(line.rsplit(" ", 1)[1])


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN}],
    ids=["no token", "wrong token", "not a bearer"],
)
def test_without_its_token_the_endpoint_answers_401(token, db, headers):
    response = scrape(**headers)

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert b"pharmacy_" not in response.content


def test_with_no_token_configured_there_is_no_endpoint(settings, db):
    settings.METRICS_TOKEN = ""

    assert scrape(Authorization="Bearer ").status_code == 404


def test_the_figures_a_manager_watches(token, drug, private_root):
    pack = drug.product.children.order_by("pk").first()
    waiting = place_order(product=pack, method=PaymentMethod.CARD)
    lapsing = place_order(product=pack, method=PaymentMethod.CARD)
    problem = place_order(product=pack, method=PaymentMethod.CARD)
    now = timezone.now()
    OrderPayment.objects.filter(order=waiting).update(
        state=PaymentState.AUTHORISED, authorised_at=now - datetime.timedelta(days=2)
    )
    OrderPayment.objects.filter(order=lapsing).update(
        state=PaymentState.AUTHORISED,
        authorised_at=now - datetime.timedelta(days=6, hours=12),
    )
    OrderPayment.objects.filter(order=problem).update(state=PaymentState.CAPTURE_FAILED)
    type(waiting).objects.filter(pk=waiting.pk).update(
        date_placed=now - datetime.timedelta(hours=5)
    )
    OutboundEmail.objects.create(
        from_email="a@b.invalid", subject="s", status=OutboundEmail.Status.FAILED
    )
    Client().get(reverse("livez"))

    response = scrape(Authorization=f"Bearer {TOKEN}")

    assert response.status_code == 200
    body = response.content.decode()
    assert figure(body, 'pharmacy_orders_waiting{queue="review"}') == 3
    assert figure(body, 'pharmacy_orders_waiting{queue="dispatch"}') == 0
    oldest = figure(body, 'pharmacy_oldest_order_wait_seconds{queue="review"}')
    assert 5 * 3600 <= oldest < 5 * 3600 + 600
    assert figure(body, "pharmacy_card_holds_lapsing_within_a_day") == 1
    assert figure(body, "pharmacy_payment_problems") == 1
    assert figure(body, "pharmacy_emails_failed") == 1
    assert figure(body, "pharmacy_refill_reminders_sent") == 0
    assert 'view="livez"' in body  # requests and their latency, by view
    assert "django_http_requests_latency_seconds_by_view_method" in body
    for order in (waiting, lapsing, problem):
        # As a number of its own: a latency's digits may hold the same run.
        assert not re.search(rf"(?<![\d.]){order.number}(?!\d)", body)
