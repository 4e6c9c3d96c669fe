"""Transfer a prescription to us: the customer's request, then the pharmacist
completes it (the record appears under "Your prescriptions") or declines it
(the customer is emailed why). Each rule is tried from two doors: the page a
person uses, and the service a forged POST or another path would reach."""

import datetime
import html
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from catalog.models import Strength
from checkout.dispensing.records import DoseUnclear
from checkout.dispensing.refills import rules, transfers
from checkout.dispensing.refills.models import TransferRequest
from pharmacy.core.models import OutboundEmail
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

DOB = datetime.date(1971, 4, 12)
REQUEST = {
    "patient_name": "Robin Okafor",
    "patient_date_of_birth": DOB.isoformat(),
    "delivery_state": "IL",
    "pharmacy_name": "Corner Drugstore",
    "pharmacy_phone": "+1 217 555 0199",
    "prescription_number": "CD-778812",
}
RECORD = {
    "prescriber_name": "Dr Lee Park",
    "prescriber_npi": "1234567893",
    "date_written": (timezone.localdate() - datetime.timedelta(days=20)).isoformat(),
    "quantity_prescribed": "90",
    "directions": "1 tab PO TID",
    "dose_mg": "",
    "doses_per_day": "",
    "refills_authorised": "2",
    "quantity_left": "",
}


def strength(drug, mg) -> Strength:
    return Strength.objects.get(drug=drug, mg=Decimal(mg))


def not_in_the_us(drug) -> Strength:
    """25 mg as the seed facts have it: approved abroad, not in the US."""
    twenty_five = strength(drug, 25)
    twenty_five.approved_markets = "ES,AU,ZA"
    twenty_five.save()
    return twenty_five


def request_data(drug, mg="10", **overrides) -> dict:
    return {"strength": strength(drug, mg).pk, **REQUEST, **overrides}


def service_data(drug, mg="10", **overrides) -> dict:
    return {
        **REQUEST,
        "strength": strength(drug, mg),
        "patient_date_of_birth": DOB,
        **overrides,
    }


def emails_to(user) -> list[OutboundEmail]:
    return [e for e in OutboundEmail.objects.order_by("pk") if e.to == [user.email]]


@pytest.fixture
def requested(client, customer, drug):
    client.force_login(customer)
    response = client.post(reverse("refills:transfer"), request_data(drug))
    assert response["Location"] == reverse("refills:list")
    client.logout()
    return TransferRequest.objects.get()


@pytest.fixture
def pharmacist_client(pharmacist):
    # Its own browser: the customer's (``client``) signs out after requesting.
    client = Client()
    client.force_login(pharmacist)
    return client


def change_url(transfer) -> str:
    return reverse("admin:refills_transferrequest_change", args=[transfer.pk])


LIST = reverse("admin:refills_transferrequest_changelist")


# -- The request ----------------------------------------------------------


def test_signed_out_visitors_cannot_request_a_transfer(client):
    response = client.get(reverse("refills:transfer"))
    assert response["Location"].startswith(reverse("customer:login"))


def test_a_request_is_recorded_and_the_customer_is_emailed_that_it_arrived(
    requested, customer
):
    assert requested.status == TransferRequest.Status.PENDING
    assert (requested.patient_name, requested.patient_date_of_birth) == (
        "Robin Okafor",
        DOB,
    )
    [email] = emails_to(customer)
    assert "request" in email.subject.lower() and "baclofen" in email.subject
    # The drug's name and nothing more of the health data.
    for private in ("Robin Okafor", "1971", "Corner Drugstore", "CD-778812", "10 mg"):
        assert private not in email.subject + email.body


@pytest.mark.parametrize("door", ["form", "service"])
def test_a_25_mg_transfer_into_the_us_is_refused_with_the_reason(
    client, customer, drug, door
):
    not_in_the_us(drug)
    reason = "25 mg baclofen tablets are not approved in the US."

    if door == "form":
        client.force_login(customer)
        response = client.post(reverse("refills:transfer"), request_data(drug, mg="25"))
        assert response.status_code == 200
        assert reason in response.text
        # Nothing typed is lost.
        for value in REQUEST.values():
            assert f'value="{value}"' in response.text or value in response.text
    else:
        with pytest.raises(transfers.TransferRefused, match=re.escape(reason)):
            transfers.transfer_request(user=customer, data=service_data(drug, "25"))

    assert not TransferRequest.objects.exists()
    assert emails_to(customer) == []


@pytest.mark.parametrize("door", ["form", "service"])
def test_a_transfer_to_a_state_we_are_not_licensed_in_is_refused(
    client, customer, drug, door
):
    if door == "form":
        client.force_login(customer)
        response = client.post(
            reverse("refills:transfer"), request_data(drug, delivery_state="AK")
        )
        assert "we can't deliver to Alaska" in html.unescape(response.text)
    else:
        with pytest.raises(transfers.TransferRefused, match="Alaska"):
            transfers.transfer_request(
                user=customer, data=service_data(drug, delivery_state="AK")
            )

    assert not TransferRequest.objects.exists()


@pytest.mark.parametrize("door", ["form", "service"])
def test_a_request_needs_the_patients_name_and_date_of_birth(
    client, customer, drug, door
):
    if door == "form":
        client.force_login(customer)
        response = client.post(
            reverse("refills:transfer"),
            request_data(drug, patient_name="", patient_date_of_birth=""),
        )
        form = response.context["form"]
        assert set(form.errors) == {"patient_name", "patient_date_of_birth"}
        assert 'value="Corner Drugstore"' in response.text
    else:
        with pytest.raises(transfers.TransferRefused):
            transfers.transfer_request(
                user=customer, data=service_data(drug, patient_name="")
            )

    assert not TransferRequest.objects.exists()


# -- What the pharmacist sees ---------------------------------------------


@pytest.mark.parametrize("url", ["list", "change"])
def test_the_pharmacist_sees_the_patients_name_and_birth_date_never_a_username(
    pharmacist_client, requested, customer, url
):
    page = pharmacist_client.get(LIST if url == "list" else change_url(requested))

    assert page.status_code == 200
    assert "Robin Okafor" in page.text
    assert "April 12, 1971" in page.text or "1971-04-12" in page.text
    assert customer.username not in re.sub(r"robin@example\.com", "", page.text)


def test_every_link_on_the_transfer_pages_opens_for_a_pharmacist(
    pharmacist_client, requested
):
    hrefs = set()
    for url in (LIST, change_url(requested)):
        page = pharmacist_client.get(url)
        hrefs |= {
            href
            for href in re.findall(r'<a [^>]*href="([^"#][^"]*)"', page.text)
            if href.startswith("/")
        }
    hrefs.discard("/")  # the shop's home page

    assert {change_url(requested), LIST} <= hrefs
    for href in sorted(hrefs):
        response = pharmacist_client.get(href.replace("&amp;", "&"), follow=True)
        assert response.status_code == 200, href


def test_a_price_editor_cannot_see_transfer_requests(client, requested, price_editor):
    client.force_login(price_editor)
    assert client.get(change_url(requested)).status_code in (302, 403)
    other = UserFactory(username="nosy")
    client.force_login(other)
    assert client.get(change_url(requested)).status_code in (302, 403)


# -- Completing -----------------------------------------------------------


def test_completing_reads_the_sig_code_and_emails_the_customer(
    pharmacist_client, requested, customer
):
    response = pharmacist_client.post(
        change_url(requested), {**RECORD, "decision": "complete"}, follow=True
    )

    requested.refresh_from_db()
    assert requested.status == TransferRequest.Status.COMPLETED
    record = requested.prescription.record
    assert (record.dose_mg, record.doses_per_day) == (Decimal("10"), 3)
    assert (record.quantity_left, rules.refills_left(record=record)) == (180, 2)
    assert [r.pk for r in rules.records_of(user=customer)] == [record.pk]
    assert rules.refill_refusal(record=record) is None
    assert "Transfer completed" in response.text
    done = emails_to(customer)[-1]
    assert "transferred" in done.subject and "baclofen" in done.subject
    assert "Robin Okafor" not in done.body and "1 tab" not in done.body


@pytest.mark.parametrize("door", ["form", "service"])
def test_directions_it_cannot_read_need_the_dose_and_times_a_day(
    pharmacist_client, pharmacist, requested, door
):
    unreadable = {**RECORD, "directions": "1-2 tabs TID as directed"}

    if door == "form":
        response = pharmacist_client.post(
            change_url(requested), {**unreadable, "decision": "complete"}
        )
        assert response.status_code == 200
        errors = response.context["adminform"].form.errors
        assert errors["dose_mg"] == ["Enter the dose in mg each time."]
        assert errors["doses_per_day"] == ["Enter the times a day."]
        # What was typed is still there.
        assert 'value="Dr Lee Park"' in response.text
        assert "1-2 tabs TID as directed" in response.text
    else:
        record = {**unreadable, "dose_mg": None, "doses_per_day": None}
        record["quantity_prescribed"], record["refills_authorised"] = 90, 2
        with pytest.raises(DoseUnclear):
            transfers.transfer_complete(
                transfer=requested, actor=pharmacist, record=record
            )

    requested.refresh_from_db()
    assert requested.status == TransferRequest.Status.PENDING


def test_unreadable_directions_complete_with_the_dose_the_pharmacist_gives(
    pharmacist_client, requested
):
    pharmacist_client.post(
        change_url(requested),
        {
            **RECORD,
            "directions": "1-2 tabs TID as directed",
            "dose_mg": "20",
            "doses_per_day": "3",
            "decision": "complete",
        },
    )

    record = TransferRequest.objects.get().prescription.record
    assert (record.dose_mg, record.doses_per_day) == (Decimal("20"), 3)


@pytest.mark.parametrize("door", ["form", "service"])
def test_completing_a_25_mg_transfer_into_the_us_is_refused_with_the_reason(
    pharmacist_client, pharmacist, customer, drug, door
):
    # Requested while 25 mg was still approved here, then withdrawn.
    transfer = transfers.transfer_request(user=customer, data=service_data(drug, "25"))
    not_in_the_us(drug)
    reason = "25 mg baclofen tablets are not approved in the US."

    if door == "form":
        response = pharmacist_client.post(
            change_url(transfer), {**RECORD, "decision": "complete"}
        )
        assert response.status_code == 200
        assert reason in response.text
        assert 'value="Dr Lee Park"' in response.text
    else:
        record = {**RECORD, "quantity_prescribed": 90, "refills_authorised": 2}
        with pytest.raises(transfers.TransferRefused, match=re.escape(reason)):
            transfers.transfer_complete(
                transfer=transfer, actor=pharmacist, record=record
            )

    transfer.refresh_from_db()
    assert transfer.status == TransferRequest.Status.PENDING


@pytest.mark.parametrize("door", ["form", "service"])
def test_an_incomplete_record_does_not_complete_the_transfer(
    pharmacist_client, pharmacist, requested, door
):
    if door == "form":
        response = pharmacist_client.post(
            change_url(requested),
            {**RECORD, "prescriber_name": "", "decision": "complete"},
        )
        errors = response.context["adminform"].form.errors
        assert errors["prescriber_name"] == ["Needed to complete the transfer."]
    else:
        with pytest.raises(transfers.TransferRefused, match="prescriber_name"):
            transfers.transfer_complete(transfer=requested, actor=pharmacist, record={})

    requested.refresh_from_db()
    assert requested.status == TransferRequest.Status.PENDING


def test_only_a_pharmacist_decides_whatever_the_door(requested, price_editor):
    with pytest.raises(transfers.TransferRefused):
        transfers.transfer_decline(transfer=requested, actor=price_editor, reason="x")


# -- Declining ------------------------------------------------------------


def test_the_pharmacist_declines_with_a_reason_the_customer_is_emailed(
    pharmacist_client, requested, customer
):
    pharmacist_client.post(
        change_url(requested),
        {"decision": "decline", "reason": "That pharmacy has no such prescription."},
    )

    requested.refresh_from_db()
    assert requested.status == TransferRequest.Status.DECLINED
    assert rules.records_of(user=customer) == []
    email = emails_to(customer)[-1]
    assert "baclofen" in email.subject
    assert "That pharmacy has no such prescription." in email.body


@pytest.mark.parametrize("door", ["form", "service"])
def test_declining_needs_a_reason(pharmacist_client, pharmacist, requested, door):
    if door == "form":
        response = pharmacist_client.post(
            change_url(requested),
            {**RECORD, "prescriber_name": "Dr Typed", "decision": "decline"},
        )
        assert response.context["adminform"].form.errors["reason"]
        assert 'value="Dr Typed"' in response.text
    else:
        with pytest.raises(transfers.TransferRefused, match="reason"):
            transfers.transfer_decline(transfer=requested, actor=pharmacist, reason=" ")

    requested.refresh_from_db()
    assert requested.status == TransferRequest.Status.PENDING


def test_a_decided_transfer_is_shown_but_cannot_be_decided_again(
    pharmacist_client, requested
):
    pharmacist_client.post(
        change_url(requested), {"decision": "decline", "reason": "Not found."}
    )

    page = pharmacist_client.get(change_url(requested))
    again = pharmacist_client.post(
        change_url(requested), {**RECORD, "decision": "complete"}
    )

    assert page.status_code == 200 and 'name="decision"' not in page.text
    assert again.status_code == 403
    requested.refresh_from_db()
    assert requested.status == TransferRequest.Status.DECLINED
