"""From an e-prescription to an approved order without an upload; then a
CancelRx withdraws the prescription: refills stop, the approved order goes
back to the pharmacist's queue through the workflow, the patient is told."""

import pytest
from django.core import mail

from checkout.dispensing import decisions
from checkout.dispensing.eprescribing.models import EPrescription, ErxMessage
from checkout.dispensing.models import CounsellingRecord, Prescription
from checkout.dispensing.records import ordered_drugs
from checkout.dispensing.refills import rules
from checkout.orders import actions
from checkout.orders.actions import OrderActionRefused
from checkout.orders.models import OrderEvent
from checkout.orders.workflow import OrderStatus
from checkout.payments.states import PaymentState
from tests import erx
from tests.checkout_helpers import fill

from .conftest import order_from

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(received, customer, pharmacist):
    """An order of 30 tablets filled from the e-prescription, approved."""
    record = received.prescription.record
    order = order_from(record=record, customer=customer)
    actions.order_approve(order=order, actor=pharmacist)
    return order


def test_an_order_from_it_needs_no_upload_and_is_approved_against_the_record(
    received, customer, pharmacist
):
    record = received.prescription.record
    order = order_from(record=record, customer=customer)
    assert order.prescription.refill_of == record
    assert not order.prescription.file

    actions.order_approve(order=order, actor=pharmacist)

    order.refresh_from_db()
    record.refresh_from_db()
    assert order.status == OrderStatus.APPROVED
    tablets = sum(line.tablets for line in ordered_drugs(order=order))
    assert record.quantity_left == 270 - tablets
    # Approving its first fill is the pharmacist's confirmation of it.
    assert record.prescription.decision == Prescription.Decision.APPROVED
    assert record.prescription.reviewed_by == pharmacist


def test_a_cancel_rx_sends_an_approved_order_back_to_the_queue(
    client, approved, customer, pharmacist, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = erx.post(client, erx.cancel_rx())

    assert erx.answer_of(response).findtext("Body/Status/Code") == "010"
    approved.refresh_from_db()
    assert approved.status == OrderStatus.AWAITING_REVIEW
    event = OrderEvent.objects.filter(order=approved).last()
    assert (event.action, event.from_status) == ("prescriber cancelled", "Approved")
    assert erx.CANCEL_RX_ID in event.note
    # The patient is told, with the drug's name and nothing more.
    email = mail.outbox[-1]
    assert email.to == [customer.email]
    assert "cancelled your prescription for" in email.body
    assert "baclofen" in email.body


def test_after_a_cancel_rx_refills_stop_and_approval_is_refused(
    client, approved, customer, pharmacist
):
    erx.post(client, erx.cancel_rx())

    record = EPrescription.objects.get().prescription.record
    assert record.withdrawn_at is not None
    assert "cancelled" in rules.refill_refusal(record=record)
    CounsellingRecord.objects.create(
        order=approved, outcome="declined", recorded_by=pharmacist
    )
    assert "prescriber cancelled" in " ".join(
        decisions.approval_refusals(order=approved)
    )
    with pytest.raises(OrderActionRefused):
        actions.order_approve(order=approved, actor=pharmacist)
    # The pharmacist can reject it: the invoice is voided.
    actions.order_reject(
        order=approved, actor=pharmacist, reason="Your prescriber cancelled it."
    )
    approved.refresh_from_db()
    assert approved.status == OrderStatus.REJECTED
    assert approved.payment.state == PaymentState.VOID


def test_an_undecided_order_stays_in_the_queue_with_the_cancellation_noted(
    client, received, customer, pharmacist
):
    order = order_from(record=received.prescription.record, customer=customer)

    erx.post(client, erx.cancel_rx())

    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_REVIEW
    assert OrderEvent.objects.filter(
        order=order, action="prescriber cancelled"
    ).exists()
    with pytest.raises(OrderActionRefused, match="prescriber cancelled"):
        actions.order_approve(order=order, actor=pharmacist)


def test_a_dispatched_order_is_left_alone(client, approved, customer, pharmacist):
    CounsellingRecord.objects.create(
        order=approved, outcome="declined", recorded_by=pharmacist
    )
    fill(order=approved, actor=pharmacist)
    actions.order_dispatch(order=approved, actor=pharmacist, tracking_reference="T1")

    erx.post(client, erx.cancel_rx())

    approved.refresh_from_db()
    assert approved.status == OrderStatus.DISPATCHED


def test_the_same_cancel_rx_twice_is_answered_the_same(client, received):
    first = erx.post(client, erx.cancel_rx())
    second = erx.post(client, erx.cancel_rx())

    assert second.content == first.content
    assert erx.error_of(second) is None
    assert ErxMessage.objects.get(message_id=erx.CANCEL_RX_ID).times_received == 2


@pytest.mark.parametrize(
    ("values", "words"),
    [
        (
            {
                "Header/RelatesToMessageID": "no-such-message",
                "Header/PrescriberOrderNumber": "no-such-order",
            },
            "No prescription we received from you",
        ),
        (
            {
                "Body/CancelRx/Prescriber/NonVeterinarian/Identification/NPI": (
                    "1234567893"
                )
            },
            "not the NPI of the prescription",
        ),
    ],
)
def test_a_cancel_rx_that_names_no_prescription_of_ours_is_refused(
    client, received, values, words
):
    response = erx.post(client, erx.cancel_rx(values=values))

    assert words in erx.error_of(response)[1]
    assert EPrescription.objects.get().status == EPrescription.Status.MATCHED


def test_another_intermediary_cannot_cancel_it(client, received, settings):
    settings.ERX_INTERMEDIARIES = {erx.INTERMEDIARY: erx.PASSWORD, "other": "pw-2"}
    response = erx.post(client, erx.cancel_rx(), auth=erx.basic("other", "pw-2"))

    assert "No prescription we received from you" in erx.error_of(response)[1]


def test_a_cancel_rx_cancels_the_new_rx_it_relates_to_and_no_other(client, received):
    # Another prescription with the same prescriber's order number.
    erx.post(client, erx.new_rx(values={"Header/MessageID": "demo-newrx-0002"}))
    erx.post(
        client,
        erx.cancel_rx(values={"Header/RelatesToMessageID": "demo-newrx-0002"}),
    )

    received.refresh_from_db()
    assert received.status == EPrescription.Status.MATCHED
    other = EPrescription.objects.get(message__message_id="demo-newrx-0002")
    assert other.status == EPrescription.Status.CANCELLED


def test_an_order_number_naming_two_prescriptions_cancels_neither(client, received):
    erx.post(client, erx.new_rx(values={"Header/MessageID": "demo-newrx-0002"}))
    response = erx.post(client, erx.cancel_rx(drop=("Header/RelatesToMessageID",)))

    assert "names more than one prescription" in erx.error_of(response)[1]
    assert not EPrescription.objects.filter(status="cancelled").exists()
