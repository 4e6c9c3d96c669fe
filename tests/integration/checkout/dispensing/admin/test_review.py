"""The order review page: the patient and their profile, the prescription as
given, the prescription record, clinical flags and counselling, each saved
with who did it, and each refusal of approval shown with its reason."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from catalog.models import Strength
from checkout.dispensing.models import (
    CounsellingRecord,
    FlagAcknowledgement,
    PatientDetails,
    Prescription,
    PrescriptionRecord,
)
from checkout.orders.models import OrderEvent
from checkout.orders.workflow import OrderStatus
from tests.checkout_helpers import ADULT_DOB, record_data
from tests.integration.checkout.dispensing.admin.conftest import (
    action_url,
    html,
    messages_of,
    order_for,
    reload,
    review_url,
)


def record_post(order, **overrides) -> dict:
    """The record form as the pharmacist fills it in, matching the order."""
    data = record_data(order=order, **overrides)
    post = {"form": "record"}
    for name, value in data.items():
        if value is None:
            value = ""
        elif hasattr(value, "pk"):
            value = value.pk
        elif isinstance(value, datetime.date):
            value = value.isoformat()
        post[f"record-{name}"] = str(value)
    return post


def approve(client, order):
    return client.post(action_url(order, "approve"), follow=True)


def test_the_page_shows_the_patient_with_age_profile_and_the_prescription_image(
    pharmacist_client, rx_drug
):
    order = order_for(
        rx_drug,
        allergies="Penicillin",
        medical_conditions="Multiple sclerosis",
        current_medicines="Vitamin D",
    )
    prescription = Prescription.objects.get(order=order)
    age = (timezone.localdate() - ADULT_DOB).days // 365

    page = html(pharmacist_client.get(review_url(order)))

    assert "Alex Rivera" in page
    assert ADULT_DOB.isoformat() in page
    assert f"<dd>{age}</dd>" in page
    for text in ("Penicillin", "Multiple sclerosis", "Vitamin D"):
        assert text in page
    assert f"/admin/checkout/prescription/{prescription.pk}/file/" in page
    assert "Counselling" in page and "History" in page


def test_the_page_shows_the_prescribers_details_and_offers_to_request_it(
    pharmacist_client, rx_drug
):
    order = order_for(rx_drug)
    Prescription.objects.filter(order=order).update(
        source=Prescription.Source.PRESCRIBER,
        file="",
        prescriber_name="Dr Ada Lovelace",
        prescriber_phone="+1 217 555 0123",
        prescriber_npi="1234567893",
    )

    page = html(pharmacist_client.get(review_url(order)))

    assert "Dr Ada Lovelace" in page and "+1 217 555 0123" in page
    assert action_url(order, "request-prescription") in page


def test_saving_the_record_keeps_who_entered_it_and_adds_to_the_history(
    pharmacist_client, pharmacist, rx_drug
):
    order = order_for(rx_drug)

    response = pharmacist_client.post(review_url(order), record_post(order))

    assert response.status_code == 302
    record = PrescriptionRecord.objects.get(prescription__order=order)
    assert record.entered_by == pharmacist and record.updated_by == pharmacist
    assert record.quantity_left == 60  # 30 tablets and one refill
    event = OrderEvent.objects.filter(order=order, action="record created").get()
    assert event.actor == pharmacist


def test_dose_is_read_from_the_directions_when_left_blank(pharmacist_client, rx_drug):
    order = order_for(rx_drug)

    pharmacist_client.post(
        review_url(order),
        record_post(
            order, directions="20 mg four times a day", dose_mg=None, doses_per_day=None
        ),
    )

    page = html(pharmacist_client.get(review_url(order)))
    # 30 tablets of 10 mg at 80 mg a day.
    assert "3 days" in page


def test_approval_is_refused_while_the_record_is_incomplete(pharmacist_client, rx_drug):
    order = order_for(rx_drug)
    pharmacist_client.post(
        review_url(order), record_post(order, prescriber_npi="", date_written=None)
    )

    confirm_page = html(pharmacist_client.get(action_url(order, "approve")))
    response = approve(pharmacist_client, order)

    assert "incomplete" in confirm_page and "date written" in confirm_page
    assert reload(order).status == OrderStatus.AWAITING_REVIEW
    assert any("incomplete" in m for m in messages_of(response))


def test_approval_is_refused_without_any_record(pharmacist_client, rx_drug):
    order = order_for(rx_drug)

    response = approve(pharmacist_client, order)

    assert reload(order).status == OrderStatus.AWAITING_REVIEW
    assert any("no prescription record" in m for m in messages_of(response))


def test_approval_is_refused_when_the_strength_ordered_differs(
    pharmacist_client, rx_drug
):
    order = order_for(rx_drug, mg="25", tablets=30)
    ten = Strength.objects.get(drug=rx_drug, mg=Decimal("10"))
    post = record_post(order)
    post["record-strength"] = str(ten.pk)
    pharmacist_client.post(review_url(order), post)

    response = approve(pharmacist_client, order)

    assert reload(order).status == OrderStatus.AWAITING_REVIEW
    assert any(
        "Strength ordered (25 mg) differs from the strength prescribed (10 mg)" in m
        for m in messages_of(response)
    )


def test_approval_is_refused_when_more_is_ordered_than_is_left(
    pharmacist_client, rx_drug
):
    order = order_for(rx_drug, tablets=60)
    pharmacist_client.post(review_url(order), record_post(order, quantity_left=30))

    response = approve(pharmacist_client, order)

    assert reload(order).status == OrderStatus.AWAITING_REVIEW
    assert any(
        "Quantity ordered (60 tablets) is more than the quantity left on the "
        "prescription (30 tablets)" in m
        for m in messages_of(response)
    )


def test_approval_takes_the_tablets_from_what_is_left(pharmacist_client, rx_drug):
    order = order_for(rx_drug, tablets=30, quantity=2)
    pharmacist_client.post(review_url(order), record_post(order, refills_authorised=2))

    approve(pharmacist_client, order)

    assert reload(order).status == OrderStatus.APPROVED
    record = PrescriptionRecord.objects.get(prescription__order=order)
    assert record.quantity_left == 60 * 3 - 60


@pytest.mark.parametrize(
    ("profile", "flag"),
    [
        ({"current_medicines": "Oxycodone 5 mg at night"}, "Opioids"),
        ({"current_medicines": "tramadol"}, "Opioids"),
        ({"current_medicines": "Diazepam 2 mg"}, "Benzodiazepines"),
        ({"current_medicines": "Zolpidem for sleep"}, "CNS depressants"),
        ({"current_medicines": "A glass of alcohol most evenings"}, "Alcohol"),
        ({"medical_conditions": "Chronic kidney disease stage 3"}, "Kidney disease"),
        ({"medical_conditions": "Renal impairment"}, "Kidney disease"),
        ({"date_of_birth": datetime.date(1950, 1, 1)}, "aged 65 or over"),
    ],
)
def test_each_flag_shows_and_blocks_approval_until_acknowledged(
    pharmacist_client, pharmacist, rx_drug, profile, flag
):
    order = order_for(rx_drug, **profile)
    pharmacist_client.post(review_url(order), record_post(order))

    page = html(pharmacist_client.get(review_url(order)))
    refused = approve(pharmacist_client, order)

    assert flag in page
    assert reload(order).status == OrderStatus.AWAITING_REVIEW
    assert any("Acknowledge the flag first" in m for m in messages_of(refused))


def test_a_dose_above_the_maximum_is_flagged(pharmacist_client, rx_drug):
    order = order_for(rx_drug)
    pharmacist_client.post(
        review_url(order),
        record_post(order, directions="30 mg three times a day", dose_mg=Decimal("30")),
    )

    page = html(pharmacist_client.get(review_url(order)))

    assert "Daily dose above the usual maximum" in page
    assert "90 mg a day" in page and "80 mg a day" in page


def test_no_flags_for_a_healthy_adult_on_a_usual_dose(pharmacist_client, rx_drug):
    order = order_for(rx_drug, current_medicines="Vitamin D")
    pharmacist_client.post(review_url(order), record_post(order))

    page = html(pharmacist_client.get(review_url(order)))

    assert "No flags" in page


def test_acknowledging_a_flag_records_who_and_the_note_then_approval_works(
    pharmacist_client, pharmacist, rx_drug
):
    order = order_for(rx_drug, current_medicines="Oxycodone 5 mg")
    pharmacist_client.post(review_url(order), record_post(order))

    pharmacist_client.post(
        review_url(order),
        {
            "form": "acknowledge",
            "ack-interaction:opioids": "Spoke to the prescriber; low dose, reviewed.",
        },
    )
    approve(pharmacist_client, order)

    ack = FlagAcknowledgement.objects.get(order=order)
    assert ack.acknowledged_by == pharmacist
    assert ack.note == "Spoke to the prescriber; low dose, reviewed."
    assert reload(order).status == OrderStatus.APPROVED
    page = html(pharmacist_client.get(review_url(order)))
    assert "Acknowledged by" in page and "flag acknowledged" in page


def test_every_open_flag_is_acknowledged_in_one_submit(
    pharmacist_client, pharmacist, rx_drug
):
    order = order_for(
        rx_drug,
        current_medicines="Oxycodone 5 mg",
        date_of_birth=datetime.date(1950, 1, 1),
    )
    pharmacist_client.post(review_url(order), record_post(order))
    page = html(pharmacist_client.get(review_url(order)))
    assert page.count('name="form" value="acknowledge"') == 1
    assert "Acknowledge all 2 flags" in page

    pharmacist_client.post(
        review_url(order),
        {
            "form": "acknowledge",
            "ack-interaction:opioids": "Low dose; prescriber aware.",
            "ack-age:65+": "Counselled on falls.",
        },
    )

    notes = dict(
        FlagAcknowledgement.objects.filter(order=order).values_list("code", "note")
    )
    assert notes == {
        "interaction:opioids": "Low dose; prescriber aware.",
        "age:65+": "Counselled on falls.",
    }
    approve(pharmacist_client, order)
    assert reload(order).status == OrderStatus.APPROVED


def test_an_acknowledgement_needs_a_note_for_each_flag_and_keeps_what_was_typed(
    pharmacist_client, rx_drug
):
    order = order_for(
        rx_drug,
        current_medicines="Oxycodone 5 mg",
        date_of_birth=datetime.date(1950, 1, 1),
    )

    response = pharmacist_client.post(
        review_url(order),
        {
            "form": "acknowledge",
            "ack-interaction:opioids": "Low dose; prescriber aware.",
            "ack-age:65+": " ",
        },
    )

    assert response.status_code == 200
    assert "Please write why the order may go ahead" in html(response)
    assert "Low dose; prescriber aware." in html(response)
    assert not FlagAcknowledgement.objects.exists()


def test_the_pharmacist_edits_the_profile_and_who_changed_it_is_kept(
    pharmacist_client, pharmacist, rx_drug
):
    order = order_for(rx_drug)

    pharmacist_client.post(
        review_url(order),
        {
            "form": "profile",
            "profile-allergies": "Penicillin",
            "profile-medical_conditions": "Kidney disease",
            "profile-current_medicines": "",
        },
    )

    patient = PatientDetails.objects.get(order=order)
    assert patient.medical_conditions == "Kidney disease"
    assert patient.profile_updated_by == pharmacist
    event = OrderEvent.objects.get(order=order, action="profile edited")
    assert event.actor == pharmacist
    assert "medical conditions" in event.note
    # The new condition is flagged at once.
    assert "Kidney disease" in html(pharmacist_client.get(review_url(order)))


def test_the_customers_counselling_request_is_shown(pharmacist_client, rx_drug):
    order = order_for(
        rx_drug,
        counselling_wanted=True,
        counselling_phone="+1 217 555 0199",
        counselling_best_time="after 5 pm",
    )

    page = html(pharmacist_client.get(review_url(order)))

    assert "asked to speak to a pharmacist" in page
    assert "+1 217 555 0199" in page and "after 5 pm" in page


def test_recording_counselling_keeps_who_and_what(
    pharmacist_client, pharmacist, rx_drug
):
    order = order_for(rx_drug)

    pharmacist_client.post(
        review_url(order),
        {
            "form": "counselling",
            "counselling-outcome": "given",
            "counselling-note": "Explained drowsiness and tapering.",
        },
    )

    record = CounsellingRecord.objects.get(order=order)
    assert record.outcome == "given" and record.recorded_by == pharmacist
    assert OrderEvent.objects.filter(order=order, action="counselling recorded")
