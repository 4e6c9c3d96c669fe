"""A FHIR R4 Bundle (MedicationRequest, Patient, Practitioner) posted to the
same endpoint family is a NewRx: checked alike, recorded alike, answered with
an OperationOutcome."""

import json
from decimal import Decimal

import pytest

from checkout.dispensing.eprescribing.models import EPrescription, ErxMessage
from checkout.dispensing.models import PrescriptionRecord
from tests import erx

pytestmark = pytest.mark.django_db


def outcome(response) -> dict:
    return json.loads(response.content)["issue"][0]


def resource(data: dict, kind: str) -> dict:
    return next(
        e["resource"] for e in data["entry"] if e["resource"]["resourceType"] == kind
    )


def test_a_bundle_is_recorded_like_a_new_rx(client, drug):
    response = erx.post(client, erx.bundle(), endpoint="fhir")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/fhir+json")
    assert outcome(response)["severity"] == "information"
    record = PrescriptionRecord.objects.get()
    assert record.prescriber_name == "Dr Hanna Lindqvist"
    assert record.prescriber_npi == "1678901236"
    assert record.strength.mg == Decimal("25")
    assert (record.quantity_prescribed, record.refills_authorised) == (60, 1)
    assert (record.dose_mg, record.doses_per_day) == (Decimal("25"), 2)
    kept = EPrescription.objects.get()
    assert kept.status == EPrescription.Status.UNMATCHED  # nobody is Sam Moreno
    assert kept.prescriber_order_number == "ORD-FHIR-0001"
    assert ErxMessage.objects.get().kind == "fhir"


def test_the_same_bundle_twice_is_taken_once(client, drug):
    first = erx.post(client, erx.bundle(), endpoint="fhir")
    second = erx.post(client, erx.bundle(), endpoint="fhir")

    assert second.content == first.content
    assert EPrescription.objects.count() == 1


def _no_npi(data):
    resource(data, "Practitioner")["identifier"] = []


def _bad_npi(data):
    resource(data, "Practitioner")["identifier"][0]["value"] = "1678901230"


def _no_patient(data):
    data["entry"] = [
        e for e in data["entry"] if e["resource"]["resourceType"] != "Patient"
    ]


def _no_birth_date(data):
    del resource(data, "Patient")["birthDate"]


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (_no_npi, "Practitioner.identifier (us-npi)"),
        (_bad_npi, "not a valid NPI"),
        (_no_patient, "the Patient that MedicationRequest.subject names"),
        (_no_birth_date, "Patient.birthDate"),
    ],
)
def test_a_bundle_without_what_we_need_is_refused_naming_it(
    client, drug, change, words
):
    response = erx.post(client, erx.bundle(change=change), endpoint="fhir")

    assert response.status_code == 422
    issue = outcome(response)
    assert issue["severity"] == "error"
    assert words in issue["details"]["text"]
    assert not EPrescription.objects.exists()


def test_a_body_that_is_not_a_bundle_is_refused(client):
    response = erx.post(client, b'{"resourceType": "Patient"}', endpoint="fhir")
    assert outcome(response)["details"]["text"] == "The body is not a FHIR Bundle."


def test_wrong_credentials_get_an_operation_outcome(client):
    response = erx.post(
        client, erx.bundle(), endpoint="fhir", auth=erx.basic(password="wrong")
    )
    assert response.status_code == 401
    assert outcome(response)["severity"] == "error"


def test_a_bundle_that_breaks_fhir_is_refused_naming_where(client, drug):
    def written_yesterday(data):
        resource(data, "MedicationRequest")["authoredOn"] = "yesterday"

    response = erx.post(client, erx.bundle(change=written_yesterday), endpoint="fhir")

    words = outcome(response)["details"]["text"]
    assert words.startswith("The Bundle is not valid FHIR R4: entry.0.resource")
    assert "yesterday" not in words


def test_json_nested_too_deep_is_refused_before_parsing(client):
    body = b'{"resourceType": "Bundle", "x": ' + b"[" * 5000 + b"]" * 5000 + b"}"
    response = erx.post(client, body, endpoint="fhir")

    assert response.status_code == 422
    assert outcome(response)["details"]["text"] == (
        "The body nested deeper than 64 levels."
    )
