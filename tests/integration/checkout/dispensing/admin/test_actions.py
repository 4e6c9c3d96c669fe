"""Approve, hold, reject, cancel and dispatch from the review page: each asks
for confirmation naming the order and what happens to the card, calls the
lifecycle service, and is harmless when submitted twice."""

import pytest
from django.core import mail
from django.urls import reverse

from checkout.dispensing.models import Prescription
from checkout.orders.models import OrderEvent
from checkout.orders.workflow import OrderStatus
from tests.checkout_helpers import fill, lot_of, pharmacist_checks_record
from tests.integration.checkout.dispensing.admin.conftest import (
    action_url,
    html,
    messages_of,
    order_for,
    reload,
    review_url,
)


@pytest.fixture
def act(pharmacist_client, django_capture_on_commit_callbacks):
    """Confirm an action as its page does, running what waits for the commit
    (the customer's email)."""

    def post(order, name, data=None, follow=False):
        with django_capture_on_commit_callbacks(execute=True):
            return pharmacist_client.post(
                action_url(order, name), data or {}, follow=follow
            )

    return post


@pytest.fixture
def checked_order(rx_drug):
    """Record complete and counselling recorded: ready to approve and dispatch."""
    order = order_for(rx_drug)
    pharmacist_checks_record(order=order)
    return order


def test_the_review_page_offers_the_decisions_for_its_status(
    pharmacist_client, checked_order
):
    page = html(pharmacist_client.get(review_url(checked_order)))

    for name in ("approve", "hold", "reject", "cancel"):
        assert action_url(checked_order, name) in page
    assert action_url(checked_order, "dispatch") not in page


def test_approval_asks_for_confirmation_naming_the_order_and_the_invoice(
    pharmacist_client, checked_order
):
    response = pharmacist_client.get(action_url(checked_order, "approve"))

    page = html(response)
    assert response.status_code == 200
    assert f"Yes, approve order {checked_order.number}" in page
    assert "An invoice for" in page and "is issued to the customer" in page
    assert reload(checked_order).status == OrderStatus.AWAITING_REVIEW


def test_confirming_approval_approves_and_emails_the_customer(
    act, pharmacist_client, pharmacist, checked_order
):
    response = act(checked_order, "approve")

    assert response.status_code == 302
    assert response["Location"] == review_url(checked_order)
    assert reload(checked_order).status == OrderStatus.APPROVED
    event = OrderEvent.objects.get(order=checked_order, action="approved")
    assert event.actor == pharmacist
    assert len(mail.outbox) == 1


def test_a_double_submitted_approval_is_applied_once(
    act, pharmacist_client, checked_order
):
    act(checked_order, "approve")
    second = act(checked_order, "approve", follow=True)

    assert (
        OrderEvent.objects.filter(order=checked_order, action="approved").count() == 1
    )
    assert any("already approved" in m for m in messages_of(second))
    assert len(mail.outbox) == 1


def test_hold_asks_for_a_reason_and_emails_it_to_the_customer(
    act, pharmacist_client, checked_order
):
    page = html(pharmacist_client.get(action_url(checked_order, "hold")))
    empty = act(checked_order, "hold", {"reason": ""})
    other = act(checked_order, "hold", {"reason": "other", "words": " "})
    act(
        checked_order,
        "hold",
        {"reason": "dose", "words": "We have left a message with the clinic."},
    )

    assert "card authorisation stays in place" in page or "no invoice" in page
    assert "Dose to check" in page and "Unclear image" in page
    assert empty.status_code == 200 and "Please choose why the order is on hold" in (
        html(empty)
    )
    assert other.status_code == 200 and "say in a few words" in html(other)
    assert reload(checked_order).status == OrderStatus.ON_HOLD
    assert len(mail.outbox) == 1
    assert (
        "Our pharmacist needs to check the dose with your prescriber. We have left "
        "a message with the clinic." in mail.outbox[0].body
    )
    assert "on hold" in mail.outbox[0].subject


def test_an_order_on_hold_is_approved_or_put_back_in_review(
    act, pharmacist_client, checked_order
):
    act(checked_order, "hold", {"reason": "prescriber"})
    page = html(pharmacist_client.get(review_url(checked_order)))
    assert action_url(checked_order, "resume") in page
    assert action_url(checked_order, "approve") in page

    act(checked_order, "resume", {"note": "Answered"})
    assert reload(checked_order).status == OrderStatus.AWAITING_REVIEW

    act(checked_order, "hold", {"reason": "other", "words": "Waiting again."})
    act(checked_order, "approve")
    assert reload(checked_order).status == OrderStatus.APPROVED


def test_prescription_requested_from_the_prescriber_is_a_state_of_its_own(
    act, pharmacist_client, rx_drug
):
    order = order_for(rx_drug)
    Prescription.objects.filter(order=order).update(
        source=Prescription.Source.PRESCRIBER, file="", prescriber_name="Dr Ada"
    )

    act(order, "request-prescription", {"note": "Faxed Dr Ada"})

    assert reload(order).status == OrderStatus.PRESCRIPTION_REQUESTED
    assert not mail.outbox


def test_an_order_on_hold_can_then_wait_for_the_prescriber_as_the_page_offers(
    act, pharmacist_client, rx_drug
):
    order = order_for(rx_drug)
    Prescription.objects.filter(order=order).update(
        source=Prescription.Source.PRESCRIBER, file="", prescriber_name="Dr Ada"
    )
    act(order, "hold", {"reason": "prescriber"})
    assert action_url(order, "request-prescription") in html(
        pharmacist_client.get(review_url(order))
    )

    act(order, "request-prescription", {"note": "Faxed Dr Ada"})

    assert reload(order).status == OrderStatus.PRESCRIPTION_REQUESTED


def test_an_uploaded_prescription_cannot_be_requested_from_the_prescriber(
    act, pharmacist_client, checked_order
):
    response = act(
        checked_order, "request-prescription", {"note": "Faxed Dr Ada"}, follow=True
    )

    assert reload(checked_order).status == OrderStatus.AWAITING_REVIEW
    assert "prescriber&#x27;s details" in html(response)
    assert "Faxed Dr Ada" in html(response)  # what was typed is kept


def test_cancelling_an_approved_order_says_its_invoice_is_voided(
    act, pharmacist_client, checked_order
):
    act(checked_order, "approve")

    page = html(pharmacist_client.get(action_url(checked_order, "cancel")))

    assert "The invoice is voided" in page
    act(checked_order, "cancel", {"reason": "Customer changed their mind."})
    assert reload(checked_order).status == OrderStatus.CANCELLED


def test_reject_needs_a_reason_and_says_the_card_hold_is_released(
    act, pharmacist_client, checked_order
):
    page = html(pharmacist_client.get(action_url(checked_order, "reject")))
    act(checked_order, "reject", {"reason": "Prescription is expired."})

    assert "The invoice is voided" in page
    assert reload(checked_order).status == OrderStatus.REJECTED
    assert "Prescription is expired." in mail.outbox[0].body


def test_cancel_at_the_customers_request_after_approval(
    act, pharmacist_client, checked_order
):
    act(checked_order, "approve")

    act(checked_order, "cancel", {"reason": "Customer changed their mind"})

    assert reload(checked_order).status == OrderStatus.CANCELLED


def test_dispatch_asks_for_carrier_and_tracking_and_emails_them(
    act, pharmacist, pharmacist_client, checked_order
):
    act(checked_order, "approve")
    fill(order=checked_order, actor=pharmacist)
    mail.outbox.clear()

    missing = act(checked_order, "dispatch", {"carrier": "", "tracking_reference": ""})
    act(
        checked_order,
        "dispatch",
        {"carrier": "USPS", "tracking_reference": "9400 1000 0000 0000 0000 00"},
    )

    assert "Please name the carrier" in html(missing)
    assert reload(checked_order).status == OrderStatus.DISPATCHED
    assert "USPS" in mail.outbox[0].body
    assert "9400 1000 0000 0000 0000 00" in mail.outbox[0].body


def test_filling_is_refused_until_counselling_is_recorded(
    act, pharmacist, pharmacist_client, rx_drug
):
    from checkout.dispensing.models import CounsellingRecord

    order = order_for(rx_drug)
    pharmacist_checks_record(order=order)
    CounsellingRecord.objects.filter(order=order).delete()
    act(order, "approve")

    lot = lot_of(product=order.lines.get().product, actor=pharmacist, packs=5)
    line = order.lines.get()
    fill_url = reverse("admin:checkout_queueorder_fill", args=[order.pk])

    refused = pharmacist_client.post(fill_url, {f"lot-{line.pk}": lot.pk})
    assert reload(order).status == OrderStatus.APPROVED
    assert "Record the counselling" in html(refused)

    pharmacist_client.post(
        review_url(order), {"form": "counselling", "counselling-outcome": "declined"}
    )
    pharmacist_client.post(fill_url, {f"lot-{line.pk}": lot.pk})
    act(order, "dispatch", {"carrier": "USPS", "tracking_reference": "1Z"})
    assert reload(order).status == OrderStatus.DISPATCHED


def test_an_action_not_possible_in_this_status_goes_back_with_a_message(
    pharmacist_client, checked_order
):
    response = pharmacist_client.get(action_url(checked_order, "dispatch"), follow=True)

    assert any("can't be dispatched now" in m for m in messages_of(response))


def test_an_unknown_action_is_404(pharmacist_client, checked_order):
    assert pharmacist_client.get(action_url(checked_order, "delete")).status_code == 404
