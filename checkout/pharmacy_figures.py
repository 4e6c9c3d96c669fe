"""The figures a pharmacy manager watches, read from the database: orders
waiting in each of the pharmacist's queues and how long the oldest has
waited, card holds about to lapse, payment problems, emails that failed and
refill reminders sent. The metrics endpoint (checkout/metrics.py) serves them
to Prometheus."""

import datetime
from typing import NamedTuple

from django.conf import settings
from django.db.models import Count, Min
from django.utils import timezone
from oscar.apps.order.models import Order

from checkout.dispensing import queues
from checkout.dispensing.refills.models import SentReminder
from checkout.payments.models import OrderPayment
from checkout.payments.states import PaymentState
from pharmacy.core.models import OutboundEmail

HOLD_LAPSE_WARNING = datetime.timedelta(days=1)


class QueueFigures(NamedTuple):
    name: str
    title: str
    waiting: int
    oldest_seconds: float  # 0 when none wait


class PharmacyFigures(NamedTuple):
    queues: list[QueueFigures]
    holds_lapsing_within_a_day: int
    payment_problems: int
    emails_failed: int
    refill_reminders_sent: int


def pharmacy_figures(*, now: datetime.datetime | None = None) -> PharmacyFigures:
    now = now or timezone.now()
    per_queue = []
    for name, queue in queues.QUEUES.items():
        if queue.statuses is None:
            continue  # "all orders" is not a queue anyone waits in
        found = Order.objects.filter(status__in=queue.statuses).aggregate(
            waiting=Count("pk"), oldest=Min("date_placed")
        )
        oldest = found["oldest"]
        per_queue.append(
            QueueFigures(
                name=name,
                title=queue.title,
                waiting=found["waiting"],
                oldest_seconds=(now - oldest).total_seconds() if oldest else 0.0,
            )
        )
    # A hold lapses STRIPE_AUTHORISATION_DAYS after it was authorised
    # (payments/ledger.authorisation_expires_at).
    lapse = datetime.timedelta(days=settings.STRIPE_AUTHORISATION_DAYS)
    return PharmacyFigures(
        queues=per_queue,
        holds_lapsing_within_a_day=OrderPayment.objects.filter(
            state=PaymentState.AUTHORISED,
            authorised_at__lte=now - lapse + HOLD_LAPSE_WARNING,
        ).count(),
        payment_problems=OrderPayment.objects.filter(
            state=PaymentState.CAPTURE_FAILED
        ).count(),
        emails_failed=OutboundEmail.objects.filter(
            status=OutboundEmail.Status.FAILED
        ).count(),
        refill_reminders_sent=SentReminder.objects.count(),
    )
