"""Emails go through the outbox: written with the change, delivered by a task
after the commit, retried with back-off against a real SMTP server on
127.0.0.1, shown to staff when they fail for good, and never sent while a
shopper or a pharmacist waits."""

import datetime
import time

import pytest
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from checkout.orders import actions
from pharmacy.celery import app as celery_app
from pharmacy.core import email_delivery, outbox, tasks
from pharmacy.core.models import OutboundEmail
from pharmacy.staff.groups import staff_groups_ensure
from pharmacy.staff.roles import PHARMACISTS
from tests.checkout_helpers import (
    guest_checkout_to_preview,
    pharmacist_checks_record,
    place_order,
)
from tests.factories import UserFactory
from tests.integration.checkout.conftest import add_url
from tests.smtp_server import local_smtp, use_smtp

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_files(private_root):
    pass


@pytest.fixture
def pharmacist(db):
    user = UserFactory(is_staff=True)
    user.groups.add(staff_groups_ensure()[PHARMACISTS])
    return user


def a_message(subject="Order 100001 received") -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject, "Plain body", "orders@pharmacy.invalid", ["guest@example.com"]
    )
    message.attach_alternative("<p>HTML body</p>", "text/html")
    return message


def test_an_email_refused_twice_is_delivered_on_the_third_try(
    settings, django_capture_on_commit_callbacks
):
    with local_smtp(refuse_first=2) as (smtp, port):
        use_smtp(settings, port)
        with django_capture_on_commit_callbacks(execute=True):
            email = outbox.email_enqueue(message=a_message())

    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENT
    assert email.attempts == 3
    assert "451" in email.last_error  # what the last failure was, for staff
    [received] = smtp.accepted
    assert received["Subject"] == "Order 100001 received"
    assert received["To"] == "guest@example.com"
    html = [p for p in received.walk() if p.get_content_type() == "text/html"]
    assert html[0].get_payload(decode=True) == b"<p>HTML body</p>"


def test_the_back_off_doubles_up_to_an_hour(settings):
    settings.EMAIL_RETRY_BACKOFF_SECONDS = 30
    delays = [email_delivery.retry_delay(tries=n).total_seconds() for n in range(1, 10)]

    assert delays[:4] == [30, 60, 120, 240]
    assert max(delays) == 3600
    # The task's own back-off is the same.
    assert tasks.email_deliver.retry_backoff == settings.EMAIL_RETRY_BACKOFF_SECONDS
    assert tasks.email_deliver.retry_backoff_max == 3600


def test_an_email_that_never_gets_through_is_failed_and_staff_can_resend_it(
    settings, django_capture_on_commit_callbacks, admin_client
):
    settings.EMAIL_MAX_TRIES = 3
    with local_smtp(refuse_first=1000) as (smtp, port):
        use_smtp(settings, port)
        with django_capture_on_commit_callbacks(execute=True):
            email = outbox.email_enqueue(message=a_message())
        email.refresh_from_db()
        assert email.status == OutboundEmail.Status.FAILED
        assert email.attempts == 3
        assert len(smtp.tries) == 3
        assert smtp.accepted == []

        changelist = reverse("admin:pharmacy_outboundemail_changelist")
        page = admin_client.get(changelist, {"status": "failed"})
        assert b"Order 100001 received" in page.content
        assert b"Failed: not sent" in page.content

        smtp.refuse_first = 0
        with django_capture_on_commit_callbacks(execute=True):
            admin_client.post(
                changelist,
                {"action": "retry_selected", "_selected_action": [email.pk]},
            )

    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENT
    assert len(smtp.accepted) == 1


def test_pharmacists_see_the_outbox(client, pharmacist):
    client.force_login(pharmacist)

    response = client.get(reverse("admin:pharmacy_outboundemail_changelist"))

    assert response.status_code == 200


def test_a_change_that_rolls_back_leaves_no_email(
    django_capture_on_commit_callbacks,
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        outbox.email_enqueue(message=a_message())
        raise RuntimeError("the order could not be placed")

    assert OutboundEmail.objects.count() == 0
    assert callbacks == []


def test_the_sweep_sends_an_email_whose_task_was_lost(
    settings, django_capture_on_commit_callbacks, monkeypatch, mailoutbox
):
    def broker_down(*args, **kwargs):
        raise ConnectionError("Redis is down")

    with monkeypatch.context() as patch:
        patch.setattr(tasks.email_deliver, "delay", broker_down)
        with django_capture_on_commit_callbacks(execute=True):
            email = outbox.email_enqueue(message=a_message())
    assert OutboundEmail.objects.get().status == OutboundEmail.Status.PENDING

    assert tasks.emails_sweep() == 0  # not yet: its task may still come
    OutboundEmail.objects.update(
        created_at=timezone.now() - datetime.timedelta(minutes=3)
    )
    assert tasks.emails_sweep() == 1

    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENT
    assert len(mailoutbox) == 1


def test_two_deliveries_of_one_email_send_it_once(mailoutbox):
    email = outbox.email_enqueue(message=a_message())

    assert email_delivery.email_deliver(email_id=email.pk)
    assert email_delivery.email_deliver(email_id=email.pk)

    assert len(mailoutbox) == 1


# -- nothing waits for the mail server -------------------------------------------


@pytest.fixture
def queued_not_run():
    """Tasks go to the (in-memory) broker, as with a worker: not run here."""
    before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    yield
    celery_app.conf.task_always_eager = before


def test_placing_an_order_and_approving_it_do_not_wait_for_a_slow_mail_server(
    client,
    drug,
    settings,
    queued_not_run,
    pharmacist,
    django_capture_on_commit_callbacks,
):
    with local_smtp(delay=5) as (smtp, port):
        use_smtp(settings, port)
        guest_checkout_to_preview(client, product_page_add_url=add_url(drug.product))

        started = time.monotonic()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("checkout:preview"), {"action": "place_order"}
            )
        placing = time.monotonic() - started

        assert response.status_code == 302
        assert response["Location"] == reverse("checkout:thank-you")
        order = OutboundEmail.objects.get()
        assert "awaiting a pharmacist" in order.subject
        assert order.status == OutboundEmail.Status.PENDING

        from oscar.apps.order.models import Order

        started = time.monotonic()
        with django_capture_on_commit_callbacks(execute=True):
            order = Order.objects.get()
            pharmacist_checks_record(order=order)
            actions.order_approve(order=order, actor=pharmacist)
        approving = time.monotonic() - started

        assert smtp.connections == 0
    assert placing < 1.0
    assert approving < 1.0
    assert OutboundEmail.objects.filter(status="pending").count() == 2


def test_an_order_email_is_written_in_the_same_transaction_as_the_order(drug):
    place_order(product=drug.product.children.first())

    # No commit has happened (the test's transaction is still open), and the
    # email is there: it commits or rolls back with the order.
    [email] = OutboundEmail.objects.all()
    assert email.status == OutboundEmail.Status.PENDING
    assert email.to == ["guest@example.com"]


def test_the_outbox_can_be_every_emails_backend(
    settings, django_capture_on_commit_callbacks, mailoutbox
):
    from django.core.mail import send_mail

    settings.EMAIL_BACKEND = "pharmacy.core.outbox.OutboxBackend"
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    with django_capture_on_commit_callbacks(execute=True):
        send_mail("Reset your password", "Link", None, ["sam@example.com"])

    assert OutboundEmail.objects.get().status == OutboundEmail.Status.SENT
    assert [m.subject for m in mailoutbox] == ["Reset your password"]
