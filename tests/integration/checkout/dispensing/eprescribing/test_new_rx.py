"""A NewRx becomes a prescription record in the dispensing room, pre-filled
from the message, matched to the customer it names exactly (or left for a
pharmacist), who is emailed; the same MessageID twice is taken once."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail

from checkout.dispensing.eprescribing.models import EPrescription, ErxMessage
from checkout.dispensing.models import Prescription, PrescriptionRecord
from checkout.dispensing.refills import rules
from tests import erx
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_new_rx_is_answered_with_a_status_naming_it(client, customer):
    response = erx.post(client, erx.new_rx())

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    answer = erx.answer_of(response)
    assert answer.findtext("Body/Status/Code") == "010"
    assert answer.findtext("Header/RelatesToMessageID") == erx.NEW_RX_ID
    # Addressed back to the sender.
    assert answer.findtext("Header/To") == "DEMOEHR01"


def test_the_record_is_pre_filled_from_the_message(client, customer, drug):
    erx.post(client, erx.new_rx())

    record = PrescriptionRecord.objects.get(prescription__source="erx")
    assert record.prescriber_name == "Dr Ngozi Okafor"
    assert record.prescriber_npi == "1987654328"
    assert record.date_written == datetime.date.today() - datetime.timedelta(days=3)
    assert (record.drug, record.strength.mg) == (drug, Decimal("10"))
    assert record.quantity_prescribed == 90
    assert record.directions == "10 mg three times a day"
    assert (record.dose_mg, record.doses_per_day) == (Decimal("10"), 3)
    assert record.refills_authorised == 2
    assert record.quantity_left == 270
    assert record.entered_by is None  # nobody typed it
    assert record.prescription.decision == Prescription.Decision.PENDING
    kept = EPrescription.objects.get()
    assert kept.patient_address == "1 Main Street, Springfield, IL, 62701"
    assert kept.substitution_allowed is True


def test_a_known_customer_is_matched_and_emailed_without_health_data(
    client, customer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        erx.post(client, erx.new_rx())

    kept = EPrescription.objects.get()
    assert kept.status == EPrescription.Status.MATCHED
    assert kept.customer == customer
    assert kept.matched_by is None
    email = mail.outbox[-1]
    assert email.to == [customer.email]
    assert email.subject == "Your prescription from Dr Ngozi Okafor has arrived"
    assert "baclofen" in email.body
    record = kept.prescription.record
    assert f"/prescriptions/{record.pk}/refill/" in email.body
    for health_data in ("1980", "three times", "90", "Main Street", "10 mg"):
        assert health_data not in email.body
    # On file for the customer: "Your prescriptions" offers it, no upload.
    assert rules.record_of(user=customer, pk=record.pk) == record
    assert rules.refill_refusal(record=record) is None


def test_matched_by_phone_when_the_email_differs(client, customer):
    erx.post(
        client,
        erx.new_rx(
            values={
                "Body/NewRx/Patient/HumanPatient/CommunicationNumbers/ElectronicMail": (
                    "someone.else@example.org"
                )
            }
        ),
    )
    assert EPrescription.objects.get().customer == customer


@pytest.mark.parametrize(
    "values",
    [
        # Another date of birth.
        {"Body/NewRx/Patient/HumanPatient/DateOfBirth/Date": "1980-05-18"},
        # Name and date of birth, but neither email nor phone is the customer's.
        {
            "Body/NewRx/Patient/HumanPatient/CommunicationNumbers/ElectronicMail": (
                "someone.else@example.org"
            ),
            "Body/NewRx/Patient/HumanPatient/CommunicationNumbers/PrimaryTelephone/"
            "Number": "3125550111",
        },
        # Another first name.
        {"Body/NewRx/Patient/HumanPatient/Name/FirstName": "Alexa"},
    ],
)
def test_no_exact_match_waits_unmatched_and_nobody_is_emailed(
    client, customer, values, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = erx.post(client, erx.new_rx(values=values))

    assert erx.error_of(response) is None
    kept = EPrescription.objects.get()
    assert kept.status == EPrescription.Status.UNMATCHED
    assert kept.customer is None
    assert mail.outbox == []
    assert rules.records_of(user=customer) == []


def test_two_accounts_for_the_same_patient_leave_it_to_the_pharmacist(
    client, customer, pack
):
    from tests.checkout_helpers import place_order

    twin = UserFactory(username="alex2", email="alex.rivera@example.com")
    place_order(product=pack, owner=twin)

    erx.post(client, erx.new_rx())

    assert EPrescription.objects.get().status == EPrescription.Status.UNMATCHED


def test_the_same_message_id_twice_is_taken_once_and_answered_the_same(
    client, customer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = erx.post(client, erx.new_rx())
        second = erx.post(client, erx.new_rx())

    assert second.status_code == first.status_code
    assert second.content == first.content
    assert EPrescription.objects.count() == 1
    assert Prescription.objects.filter(source="erx").count() == 1
    assert len(mail.outbox) == 1
    kept = ErxMessage.objects.get()
    assert kept.times_received == 2


def test_every_message_and_answer_is_kept_raw(client, customer):
    body = erx.new_rx()
    response = erx.post(client, body)

    kept = ErxMessage.objects.get()
    assert kept.raw == body.decode()
    assert kept.answer == response.content.decode()
    assert kept.intermediary == erx.INTERMEDIARY
    assert (kept.kind, kept.message_id) == ("NewRx", erx.NEW_RX_ID)
    assert kept.outcome == ErxMessage.Outcome.ACCEPTED


def test_namespaced_messages_are_read_alike(client, customer):
    body = erx.new_rx().replace(
        b"<Message ", b'<Message xmlns="http://www.ncpdp.org/schema/SCRIPT" ', 1
    )
    response = erx.post(client, body)

    assert erx.error_of(response) is None
    assert EPrescription.objects.get().customer == customer
