"""The figures page in the admin: the same figures /metrics serves
(checkout/pharmacy_figures.py, the one source), said in words, and a chart of
the last 30 days' waits for a pharmacist (checkout/waiting_chart.py).

Only staff who may see the pharmacy's figures (the superintendent,
pharmacy/staff/roles.py) open it; other staff get the admin's 403. It shows
counts and durations only, never an order, a patient or a prescription, so
opening it is no view of health data and needs no access-log entry.
"""

import datetime

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.timesince import timesince

from checkout.dispensing import queues
from checkout.pharmacy_figures import PharmacyFigures, QueueFigures, pharmacy_figures
from checkout.waiting_chart import wait_chart
from checkout.waiting_times import daily_longest_waits
from pharmacy.staff.roles import Perm, staff_may

# How each queue's count reads; a queue not named here reads by its title.
_QUEUE_WORDS = {
    queues.REVIEW: ("order waits for a pharmacist", "orders wait for a pharmacist"),
    queues.DISPATCH: (
        "approved order waits to be dispatched",
        "approved orders wait to be dispatched",
    ),
    queues.HOLD: (
        "order is on hold or waiting for the prescriber",
        "orders are on hold or waiting for the prescriber",
    ),
}


def _counted(count: int, one: str, many: str) -> str:
    return f"{count or 'No'} {one if count == 1 else many}"


def duration_words(*, seconds: float, now: datetime.datetime) -> str:
    """ "2 hours, 10 minutes": the two largest units, as Django says them."""
    return timesince(now - datetime.timedelta(seconds=seconds), now)


def _queue_sentence(queue: QueueFigures, *, now: datetime.datetime) -> str:
    one, many = _QUEUE_WORDS.get(
        queue.name, (f"order in “{queue.title}”", f"orders in “{queue.title}”")
    )
    sentence = _counted(queue.waiting, one, many)
    if queue.waiting:
        oldest = duration_words(seconds=queue.oldest_seconds, now=now)
        sentence += (
            f"; it has waited {oldest}"
            if queue.waiting == 1
            else f"; the oldest has waited {oldest}"
        )
    return sentence + "."


def figures_in_words(figures: PharmacyFigures, *, now: datetime.datetime) -> list[str]:
    """Each figure of /metrics as a sentence, in the same order."""
    return [
        *(_queue_sentence(queue, now=now) for queue in figures.queues),
        _counted(
            figures.holds_lapsing_within_a_day,
            "card hold lapses within a day.",
            "card holds lapse within a day.",
        ),
        _counted(
            figures.payment_problems,
            "order has a payment problem (the card could not be charged).",
            "orders have a payment problem (the card could not be charged).",
        ),
        _counted(
            figures.emails_failed,
            "email to a customer could not be sent.",
            "emails to customers could not be sent.",
        ),
        _counted(
            figures.refill_reminders_sent,
            "refill reminder has been sent in all.",
            "refill reminders have been sent in all.",
        ),
    ]


def figures_view(request: HttpRequest) -> HttpResponse:
    if not staff_may(request.user, Perm.VIEW_PHARMACY_FIGURES):
        raise PermissionDenied
    now = timezone.now()
    waits = daily_longest_waits(now=now)
    days_decided = [w for w in waits if w.decided]
    context = {
        **admin.site.each_context(request),
        "title": "The pharmacy's figures",
        "sentences": figures_in_words(pharmacy_figures(now=now), now=now),
        "chart": wait_chart(waits=waits),
        "days": len(waits),
        "days_decided": [
            (w, duration_words(seconds=w.longest_seconds, now=now))
            for w in days_decided
        ],
        "days_without": len(waits) - len(days_decided),
    }
    return TemplateResponse(request, "admin/checkout/figures.html", context)
