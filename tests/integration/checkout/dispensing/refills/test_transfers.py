"""Transfer a prescription to us: the customer's request, then the pharmacist
completes it (the record appears under "Your prescriptions") or declines it
(the customer is emailed why)."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from catalog.models import Strength
from checkout.dispensing.refills import rules
from checkout.dispensing.refills.models import TransferRequest
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def requested(client, customer, drug):
    client.force_login(customer)
    strength = Strength.objects.get(drug=drug, mg=10)
    response = client.post(
        reverse("refills:transfer"),
        {
            "strength": strength.pk,
            "pharmacy_name": "Corner Drugstore",
            "pharmacy_phone": "+1 217 555 0199",
            "prescription_number": "CD-778812",
        },
    )
    assert response["Location"] == reverse("refills:list")
    client.logout()
    return TransferRequest.objects.get()


def change_url(transfer) -> str:
    return reverse("admin:refills_transferrequest_change", args=[transfer.pk])


RECORD = {
    "prescriber_name": "Dr Lee Park",
    "prescriber_npi": "1234567893",
    "date_written": (timezone.localdate() - datetime.timedelta(days=20)).isoformat(),
    "quantity_prescribed": "90",
    "directions": "10 mg three times a day",
    "dose_mg": "10",
    "doses_per_day": "3",
    "refills_authorised": "2",
    "quantity_left": "",
}


def test_signed_out_visitors_cannot_request_a_transfer(client):
    response = client.get(reverse("refills:transfer"))
    assert response["Location"].startswith(reverse("customer:login"))


def test_a_request_lands_in_the_pharmacists_transfer_list(
    client, requested, pharmacist
):
    assert requested.status == TransferRequest.Status.PENDING
    client.force_login(pharmacist)

    listing = client.get(reverse("admin:refills_transferrequest_changelist"))

    assert listing.status_code == 200
    assert "Corner Drugstore" in listing.text


def test_the_pharmacist_completes_a_transfer_with_the_record(
    client, requested, pharmacist, customer, django_capture_on_commit_callbacks
):
    client.force_login(pharmacist)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            change_url(requested), {**RECORD, "decision": "complete"}
        )

    assert response.status_code == 302
    requested.refresh_from_db()
    assert requested.status == TransferRequest.Status.COMPLETED
    record = requested.prescription.record
    assert (record.quantity_left, rules.refills_left(record=record)) == (180, 2)
    assert [r.pk for r in rules.records_of(user=customer)] == [record.pk]
    assert rules.refill_refusal(record=record) is None
    assert mail.outbox[-1].to == [customer.email]
    assert "transfer" in mail.outbox[-1].subject.lower()


def test_an_incomplete_record_does_not_complete_the_transfer(
    client, requested, pharmacist
):
    client.force_login(pharmacist)

    client.post(
        change_url(requested), {**RECORD, "directions": "", "decision": "complete"}
    )

    requested.refresh_from_db()
    assert requested.status == TransferRequest.Status.PENDING


def test_the_pharmacist_declines_with_a_reason_the_customer_is_emailed(
    client, requested, pharmacist, customer, django_capture_on_commit_callbacks
):
    client.force_login(pharmacist)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            change_url(requested),
            {
                "decision": "decline",
                "reason": "That pharmacy has no such prescription.",
            },
        )

    requested.refresh_from_db()
    assert requested.status == TransferRequest.Status.DECLINED
    assert rules.records_of(user=customer) == []
    email = mail.outbox[-1]
    assert email.to == [customer.email]
    assert "That pharmacy has no such prescription." in email.body


def test_declining_needs_a_reason(client, requested, pharmacist):
    client.force_login(pharmacist)
    client.post(change_url(requested), {"decision": "decline", "reason": " "})
    requested.refresh_from_db()
    assert requested.status == TransferRequest.Status.PENDING


def test_a_price_editor_cannot_see_transfer_requests(client, requested, price_editor):
    client.force_login(price_editor)
    assert client.get(change_url(requested)).status_code in (302, 403)
    other = UserFactory(username="nosy")
    client.force_login(other)
    assert client.get(change_url(requested)).status_code in (302, 403)
