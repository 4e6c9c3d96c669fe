"""Refill reminders: opted in at checkout or in the account, sent once a week
before the supply runs out, with working links and nothing but the drug name."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse

from checkout.dispensing.refills import reminders, rules
from checkout.dispensing.refills.models import ReminderSubscription
from tests.checkout_helpers import ADULT_DOB

pytestmark = pytest.mark.django_db


def reminders_sent(**kwargs) -> int:
    """Send due reminders; the outbox delivers them once the work commits."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return reminders.reminders_send(**kwargs)


def reminder_time(record, *, days_before: float = 6.5) -> datetime.datetime:
    """A moment `days_before` days before the last fill runs out."""
    last = rules.fills(record=record)[-1]
    return rules.supply_runs_out(record=record, fill=last) - datetime.timedelta(
        days=days_before
    )


@pytest.fixture
def subscribed(customer, record):
    return reminders.subscribe(user=customer, drug=record.drug)


def link(body: str, marker: str) -> str:
    return next(line for line in body.splitlines() if marker in line).strip()


def test_the_reminder_is_sent_once_a_week_before_the_supply_runs_out(
    record, subscribed, customer
):
    assert reminders_sent(now=reminder_time(record, days_before=8)) == 0

    now = reminder_time(record)
    assert reminders_sent(now=now) == 1
    assert reminders_sent(now=now) == 0
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("send_refill_reminders")  # the real clock: nothing due again

    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == [customer.email]
    assert "baclofen" in email.subject


def test_the_reminder_names_the_drug_and_no_other_health_data(record, subscribed):
    reminders_sent(now=reminder_time(record))

    body = mail.outbox[0].body
    assert "baclofen" in body
    for secret in (
        "Alex Rivera",
        ADULT_DOB.isoformat(),
        "three times a day",
        "10 mg",
        rules.rx_number(record=record),
    ):
        assert secret not in body


def test_the_reminders_links_refill_and_unsubscribe(
    client, record, subscribed, customer
):
    reminders_sent(now=reminder_time(record))
    body = mail.outbox[0].body
    refill_url = link(body, "/refill/")
    stop_url = link(body, "/reminders/stop/")
    assert refill_url.startswith("http://127.0.0.1:8000/prescriptions/")

    path = refill_url.removeprefix("http://127.0.0.1:8000")
    assert client.get(path)["Location"].startswith(reverse("customer:login"))
    client.force_login(customer)
    assert client.get(path).status_code == 200

    client.logout()
    stop = stop_url.removeprefix("http://127.0.0.1:8000")
    assert client.get(stop).status_code == 200
    assert ReminderSubscription.objects.get().is_active  # a GET changes nothing
    assert client.post(stop).status_code == 200
    assert not ReminderSubscription.objects.get().is_active


def test_a_forged_unsubscribe_link_is_refused(client, subscribed):
    assert client.post("/prescriptions/reminders/stop/forged/").status_code == 404
    assert ReminderSubscription.objects.get().is_active


def test_no_reminder_after_opting_out(record, subscribed, customer):
    reminders.subscribe(user=customer, drug=record.drug, active=False)

    assert reminders_sent(now=reminder_time(record)) == 0


def test_no_reminder_after_the_account_is_closed(record, subscribed, customer):
    customer.is_active = False
    customer.save()

    assert reminders_sent(now=reminder_time(record)) == 0


def test_no_reminder_when_no_refills_remain(record, subscribed):
    type(record).objects.filter(pk=record.pk).update(quantity_left=0)

    assert reminders_sent(now=reminder_time(record)) == 0


def test_customer_opts_in_and_out_from_the_account(client, customer, record):
    client.force_login(customer)
    url = reverse("refills:reminders", kwargs={"pk": record.pk})

    client.post(url, {"remind": "on"})
    assert reminders.is_subscribed(user=customer, drug=record.drug)
    client.post(url, {})
    assert not reminders.is_subscribed(user=customer, drug=record.drug)


def test_customer_opts_in_at_checkout(client, customer, drug):
    from tests.checkout_helpers import ADDRESS

    client.force_login(customer)
    client.post(
        reverse(
            "catalogue:add-variant",
            kwargs={"product_slug": drug.product.slug, "pk": drug.product.pk},
        ),
        {"strength": "10", "pack": "30", "quantity": 1},
    )
    client.get(reverse("checkout:index"))
    client.post(reverse("checkout:shipping-address"), ADDRESS)
    client.post(reverse("checkout:shipping-method"), {"method_code": "standard"})
    client.post(
        reverse("checkout:patient"),
        {
            "full_name": "Alex Rivera",
            "date_of_birth": ADULT_DOB.isoformat(),
            "counselling": "no",
        },
    )
    from tests.checkout_helpers import png_upload

    client.post(
        reverse("checkout:prescription"), {"source": "upload", "file": png_upload()}
    )
    page = client.get(reverse("checkout:payment-method"))
    assert "refill_reminder" in page.context["form"].fields

    client.post(
        reverse("checkout:payment-method"),
        {"method": "invoice", "refill_reminder": "on"},
    )

    assert reminders.is_subscribed(user=customer, drug=drug)


def test_guests_are_not_offered_reminders_at_checkout(client, drug):
    from tests.checkout_helpers import guest_checkout_to_preview

    guest_checkout_to_preview(
        client,
        product_page_add_url=reverse(
            "catalogue:add-variant",
            kwargs={"product_slug": drug.product.slug, "pk": drug.product.pk},
        ),
    )
    page = client.get(reverse("checkout:payment-method"))
    assert "refill_reminder" not in page.context["form"].fields


def test_reminders_stop_once_the_last_fill_is_reminded_even_days_later(
    record, subscribed
):
    reminders_sent(now=reminder_time(record))
    later = reminder_time(record, days_before=1)

    assert reminders_sent(now=later) == 0
