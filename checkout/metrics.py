"""/metrics for Prometheus: django-prometheus's request counts and latency by
view (and database and cache figures), and the pharmacy's own figures
(checkout/pharmacy_figures.py), read from the database at each scrape.

Closed to the public: it answers only a request bearing METRICS_TOKEN
(``Authorization: Bearer ...``), 401 otherwise, and 404 when no token is
set. Counts only, never an order number or a name.
"""

import hmac

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, generate_latest
from prometheus_client.core import CollectorRegistry, GaugeMetricFamily

from checkout.pharmacy_figures import pharmacy_figures


class PharmacyCollector:
    """The pharmacy's figures as Prometheus gauges."""

    def collect(self):
        figures = pharmacy_figures()
        waiting = GaugeMetricFamily(
            "pharmacy_orders_waiting", "Orders waiting in a queue", labels=["queue"]
        )
        oldest = GaugeMetricFamily(
            "pharmacy_oldest_order_wait_seconds",
            "How long the oldest order in a queue has waited",
            labels=["queue"],
        )
        for queue in figures.queues:
            waiting.add_metric([queue.name], queue.waiting)
            oldest.add_metric([queue.name], queue.oldest_seconds)
        yield waiting
        yield oldest
        single = {
            "pharmacy_card_holds_lapsing_within_a_day": (
                "Card holds Stripe cancels within 24 hours",
                figures.holds_lapsing_within_a_day,
            ),
            "pharmacy_payment_problems": (
                "Orders whose capture failed",
                figures.payment_problems,
            ),
            "pharmacy_emails_failed": (
                "Emails that failed for good",
                figures.emails_failed,
            ),
            "pharmacy_refill_reminders_sent": (
                "Refill reminders sent, ever",
                figures.refill_reminders_sent,
            ),
        }
        for name, (text, value) in single.items():
            yield GaugeMetricFamily(name, text, value=value)


def _authorised(request: HttpRequest) -> bool:
    given = request.headers.get("Authorization", "")
    expected = f"Bearer {settings.METRICS_TOKEN}"
    return hmac.compare_digest(given.encode(), expected.encode())


def metrics_view(request: HttpRequest) -> HttpResponse:
    if not settings.METRICS_TOKEN:
        raise Http404
    if not _authorised(request):
        response = HttpResponse("A token is needed.\n", status=401)
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    pharmacy = CollectorRegistry()
    pharmacy.register(PharmacyCollector())
    body = generate_latest(REGISTRY) + generate_latest(pharmacy)
    response = HttpResponse(body, content_type=CONTENT_TYPE_LATEST)
    response["Cache-Control"] = "no-store"
    return response
