"""Refill reminders: opting in and out, and the job that sends them.

A reminder goes out REFILL_REMINDER_DAYS_BEFORE days before the last fill's
supply runs out, if the prescription can still be refilled, to an active
account that opted in for that drug. One per fill (SentReminder's unique
constraint), so running the job twice sends nothing twice. The email names
the drug and nothing else about the customer's health.
"""

import datetime
import logging

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from checkout.dispensing.refills import rules
from checkout.dispensing.refills.models import ReminderSubscription, SentReminder
from pharmacy.core import emails
from pharmacy.core.links import absolute_url

# Oscar communication event types (refills/migrations/0002).
REFILL_REMINDER = "REFILL_REMINDER"


logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "refills.reminder-unsubscribe"


def subscribe(*, user, drug, active: bool = True) -> ReminderSubscription:
    subscription, _ = ReminderSubscription.objects.update_or_create(
        user=user, drug=drug, defaults={"is_active": active}
    )
    return subscription


def is_subscribed(*, user, drug) -> bool:
    return ReminderSubscription.objects.filter(
        user=user, drug=drug, is_active=True
    ).exists()


def unsubscribe_token(*, subscription: ReminderSubscription) -> str:
    return signing.dumps(subscription.pk, salt=UNSUBSCRIBE_SALT)


def unsubscribe_by_token(*, token: str) -> ReminderSubscription | None:
    """Turn the reminders off from the email's link; None if the token is bad."""
    try:
        pk = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    subscription = ReminderSubscription.objects.filter(pk=pk).first()
    if subscription is not None and subscription.is_active:
        subscription.is_active = False
        subscription.save(update_fields=["is_active", "updated_at"])
    return subscription


def due_reminders(*, now: datetime.datetime) -> list[tuple]:
    """(record, last fill, subscription) for every reminder due and not yet sent."""
    due = []
    lead = datetime.timedelta(days=settings.REFILL_REMINDER_DAYS_BEFORE)
    subscriptions = ReminderSubscription.objects.filter(
        is_active=True, user__is_active=True
    ).select_related("user", "drug")
    for subscription in subscriptions:
        for record in rules.records_of(user=subscription.user):
            if record.drug_id != subscription.drug_id:
                continue
            history = rules.fills(record=record)
            if not history:
                continue
            last = history[-1]
            runs_out = rules.supply_runs_out(record=record, fill=last)
            if runs_out is None or now < runs_out - lead:
                continue
            if SentReminder.objects.filter(
                record=record, fill_order=last.order
            ).exists():
                continue
            # Only if a refill could actually be requested now.
            if rules.refill_refusal(record=record, now=now):
                continue
            due.append((record, last, subscription))
    return due


def reminders_send(*, now: datetime.datetime | None = None) -> int:
    """Send every reminder that is due; return how many were sent."""
    now = now or timezone.now()
    sent = 0
    for record, last, subscription in due_reminders(now=now):
        try:
            with transaction.atomic():
                SentReminder.objects.create(record=record, fill_order=last.order)
        except IntegrityError:
            continue  # another run got there first
        # After the row commits, outside any lock: a mail outage is logged,
        # never retried into a second email.
        emails.customer_email_send(
            user=subscription.user,
            code=REFILL_REMINDER,
            drug_name=record.drug.generic_name,
            refill_url=absolute_url(
                reverse("refills:refill", kwargs={"pk": record.pk})
            ),
            unsubscribe_url=absolute_url(
                reverse(
                    "refills:unsubscribe",
                    kwargs={"token": unsubscribe_token(subscription=subscription)},
                )
            ),
        )
        sent += 1
    return sent
