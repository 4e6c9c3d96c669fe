"""The customer's emails about an order: one per decision, with its own
details, never any health data, and never undoing the decision."""

from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.sites.models import Site
from django.core import mail
from oscar.apps.order.models import Order

from checkout.orders import actions, notifications, placing, workflow
from checkout.orders.actions import OrderActionRefused
from checkout.orders.workflow import OrderStatus
from tests.checkout_helpers import (
    ADULT_DOB,
    fill,
)
from tests.factories import UserFactory
from tests.integration.checkout.orders.conftest import (
    ALLERGY,
    MEDICINE,
    fresh,
    new_attempt,
    place,
)

# -- emails ----------------------------------------------------------------------------


def health_data(order: Order) -> list[str]:
    """Everything about the patient or prescription an email must not show."""
    file_name = order.prescription.file.name
    assert file_name
    return [
        ADULT_DOB.isoformat(),
        ADULT_DOB.strftime("%m/%d/%Y"),
        ADULT_DOB.strftime("%d/%m/%Y"),
        ADULT_DOB.strftime("%B %d, %Y"),
        ADULT_DOB.strftime("%B %-d, %Y"),
        ADULT_DOB.strftime("%b. %-d, %Y"),
        file_name,
        Path(file_name).name,
        Path(file_name).stem,
        str(settings.PRIVATE_MEDIA_ROOT),
        ALLERGY,
        MEDICINE,
        "Penicillin",
        "Sertraline",
    ]


def parts(message) -> dict[str, str]:
    html = [body for body, kind in message.alternatives if kind == "text/html"]
    return {"subject": message.subject, "text": message.body, "html": html[0]}


def assert_safe_email(message, order: Order) -> dict[str, str]:
    pharmacy = settings.PHARMACY
    shown = parts(message)
    for part in ("text", "html"):
        body = shown[part]
        assert pharmacy["name"] in body, part
        assert pharmacy["licence_number"] in body, part
        assert pharmacy["street_address"] in body, part
        assert pharmacy["phone"] in body, part
        assert pharmacy["pharmacist_in_charge"] in body, part
        assert order.number in body, part
        # The lines the customer ordered and the delivery address are fine.
        assert "Baclofen 10 mg, 30 tablets" in body, part
        assert "1 Main Street" in body, part
    assert order.number in shown["subject"]
    assert pharmacy["name"] in shown["subject"]
    for part, body in shown.items():
        for secret in health_data(order):
            assert secret not in body, (part, secret)
    return shown


def test_the_order_placed_email(pack, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        order = place(pack)

    (message,) = mail.outbox
    assert message.to == ["guest@example.com"]
    shown = assert_safe_email(message, order)
    for part in ("text", "html"):
        body = " ".join(shown[part].split())
        assert "received" in body
        assert "pharmacist" in body and "prescription" in body
        assert "Nothing is dispatched and nothing is charged" in body
        status = notifications.order_status_path(order=order)
        assert f"{settings.PUBLIC_BASE_URL}{status}" in body
        assert "$82.35" in body
    assert "awaiting a pharmacist" in shown["subject"]


def test_a_registered_customer_gets_the_email_with_their_status_link(
    pack, django_capture_on_commit_callbacks
):
    customer = UserFactory(email="sam@example.com")

    with django_capture_on_commit_callbacks(execute=True):
        order = place(pack, owner=customer)

    (message,) = mail.outbox
    assert message.to == ["sam@example.com"]
    assert f"/accounts/orders/{order.number}/" in message.body


def test_the_approved_email(order, pharmacist, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        actions.order_approve(order=order, actor=pharmacist)

    (message,) = mail.outbox
    shown = assert_safe_email(message, fresh(order))
    assert "approved" in shown["subject"]
    assert "approved your order" in " ".join(shown["text"].split())


def test_the_dispatched_email_has_the_tracking_reference(
    order, pharmacist, django_capture_on_commit_callbacks
):
    actions.order_approve(order=order, actor=pharmacist)
    fill(order=order, actor=pharmacist)

    with django_capture_on_commit_callbacks(execute=True):
        actions.order_dispatch(
            order=order, actor=pharmacist, tracking_reference="1Z999AA10123456784"
        )

    (message,) = mail.outbox
    shown = assert_safe_email(message, fresh(order))
    assert "dispatched" in shown["subject"]
    assert "1Z999AA10123456784" in shown["text"]
    assert "1Z999AA10123456784" in shown["html"]


def test_the_rejected_email_gives_the_reason_and_says_nothing_was_charged(
    order, pharmacist, django_capture_on_commit_callbacks
):
    reason = "The prescription is for a different strength & has expired."

    with django_capture_on_commit_callbacks(execute=True):
        actions.order_reject(order=order, actor=pharmacist, reason=reason)

    (message,) = mail.outbox
    shown = assert_safe_email(message, fresh(order))
    assert "could not be approved" in shown["subject"]
    # Plain text is not HTML-escaped; the HTML part is.
    assert reason in shown["text"]
    assert "different strength &amp; has expired" in shown["html"]
    for part in ("text", "html"):
        body = " ".join(shown[part].split())
        assert "Nothing has been charged" in body
        assert "hold on your card has been released" in body


def test_the_cancelled_email_gives_the_reason_and_says_nothing_was_charged(
    order, pharmacist, django_capture_on_commit_callbacks
):
    reason = "Customer phoned: found a pharmacy nearer home & cancelled."

    with django_capture_on_commit_callbacks(execute=True):
        actions.order_cancel(order=order, actor=pharmacist, reason=reason)

    (message,) = mail.outbox
    shown = assert_safe_email(message, fresh(order))
    assert "cancelled" in shown["subject"]
    assert reason in shown["text"]
    assert "nearer home &amp; cancelled" in shown["html"]
    for part in ("text", "html"):
        body = " ".join(shown[part].split())
        assert f"order {order.number} has been cancelled" in body.replace(
            "<strong>", ""
        ).replace("</strong>", "")
        assert "Nothing has been charged" in body


def test_no_cancelled_email_when_the_cancel_is_refused(
    order, pharmacist, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(OrderActionRefused),
    ):
        actions.order_cancel(order=order, actor=pharmacist, reason="  ")

    assert mail.outbox == []


def test_the_email_escapes_what_the_customer_typed(
    pack, django_capture_on_commit_callbacks
):
    attempt = new_attempt(pack)
    attempt.shipping_address["line1"] = '<a href="https://evil.example">1 Main'
    attempt.save()

    with django_capture_on_commit_callbacks(execute=True):
        placing.order_place(attempt_id=attempt.pk)

    shown = parts(mail.outbox[0])
    assert '<a href="https://evil.example">' not in shown["html"]
    assert "&lt;a href=" in shown["html"]
    # Plain text shows it as typed, not as HTML entities.
    assert '<a href="https://evil.example">1 Main' in shown["text"]


def test_no_email_is_sent_for_a_refused_action(
    order, price_editor, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(OrderActionRefused),
    ):
        actions.order_approve(order=order, actor=price_editor)

    assert mail.outbox == []


def test_a_mail_outage_does_not_undo_the_decision(
    order, pharmacist, django_capture_on_commit_callbacks, monkeypatch
):
    def smtp_down(*args, **kwargs):
        raise ConnectionRefusedError("SMTP down")

    monkeypatch.setattr(
        "django.core.mail.backends.locmem.EmailBackend.send_messages", smtp_down
    )

    with django_capture_on_commit_callbacks(execute=True):
        actions.order_approve(order=order, actor=pharmacist)

    assert fresh(order).status == OrderStatus.APPROVED


def test_every_email_renders_with_its_own_details(order):
    """Render each email straight from the templates, as Oscar does."""
    from oscar.apps.communication.utils import Dispatcher

    extra = {
        workflow.PLACE.email: {},
        workflow.APPROVE.email: {},
        workflow.DISPATCH.email: {"tracking_reference": "TRACK-42"},
        workflow.REJECT.email: {"reason": "REASON-42"},
    }
    subjects = set()
    for code, context in extra.items():
        messages = Dispatcher().get_messages(
            code,
            {
                "order": order,
                "lines": order.lines.all(),
                "status_path": notifications.order_status_path(order=order),
                "pharmacy": settings.PHARMACY,
                **context,
            },
        )
        assert messages["subject"] and messages["body"] and messages["html"], code
        assert "\n" not in messages["subject"]
        subjects.add(messages["subject"])
        for value in context.values():
            assert value in messages["body"] and value in messages["html"]
        assert messages["html"].lstrip().startswith("<!DOCTYPE html>")
        # Self-contained: nothing loaded from elsewhere.
        assert "<img" not in messages["html"] and "<link" not in messages["html"]
        assert "<script" not in messages["html"]
    assert len(subjects) == 4


def test_without_a_site_domain_the_email_still_links_the_public_base_url(
    pack, django_capture_on_commit_callbacks, settings
):
    settings.PUBLIC_BASE_URL = "https://shop.example.test"
    Site.objects.update(domain="")
    Site.objects.clear_cache()

    with django_capture_on_commit_callbacks(execute=True):
        order = place(pack)

    status = "https://shop.example.test" + notifications.order_status_path(order=order)
    shown = parts(mail.outbox[0])
    assert f"\n{status}\n" in shown["text"]
    assert f'href="{status}"' in shown["html"]
