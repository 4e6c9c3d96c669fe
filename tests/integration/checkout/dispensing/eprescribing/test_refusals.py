"""A message the pharmacy cannot take gets an Error with a code and words
saying what was wrong, is kept, and creates no prescription. Hostile XML
expands nothing; an oversized body is refused before it is read."""

import io
import time

import pytest
from django.test import RequestFactory

from checkout.dispensing.eprescribing import views
from checkout.dispensing.eprescribing.models import EPrescription, ErxMessage
from checkout.dispensing.models import Prescription
from tests import erx

pytestmark = pytest.mark.django_db

PATIENT = "Body/NewRx/Patient"
PRESCRIBER = "Body/NewRx/Prescriber/NonVeterinarian"
DRUG = "Body/NewRx/MedicationPrescribed"


def refused(response) -> str:
    """The Error's words, having checked nothing was created."""
    assert response.status_code == 200
    error = erx.error_of(response)
    assert error is not None, response.content
    assert error[0] == "900"
    assert not Prescription.objects.exists()
    assert not EPrescription.objects.exists()
    kept = ErxMessage.objects.get()
    assert kept.outcome == ErxMessage.Outcome.REFUSED
    assert kept.error_words == error[1]
    return error[1]


@pytest.mark.parametrize(
    ("drop", "named"),
    [
        ((PATIENT,), "Patient/Name/LastName"),
        ((f"{PATIENT}/HumanPatient/DateOfBirth",), "Patient/DateOfBirth"),
        ((f"{PATIENT}/HumanPatient/Address/City",), "Patient/Address"),
        ((f"{PRESCRIBER}/Identification/NPI",), "Prescriber/Identification/NPI"),
        ((f"{PRESCRIBER}/CommunicationNumbers",), "PrimaryTelephone"),
        ((f"{PRESCRIBER}/Address",), "Prescriber/Address"),
        ((f"{DRUG}/Quantity",), "Quantity/Value"),
        ((f"{DRUG}/Sig",), "Sig/SigText"),
        ((f"{DRUG}/NumberOfRefills",), "NumberOfRefills"),
        ((f"{DRUG}/WrittenDate",), "WrittenDate"),
        ((f"{DRUG}/Substitutions",), "Substitutions"),
        (("Header/MessageID",), "Header/MessageID"),
    ],
)
def test_a_message_missing_what_we_need_is_refused_naming_it(client, drop, named):
    words = refused(erx.post(client, erx.new_rx(drop=drop)))
    assert words.startswith("Required element missing:")
    assert named in words


def test_the_missing_patient_is_named_in_full(client):
    words = refused(erx.post(client, erx.new_rx(drop=(PATIENT,))))
    for element in (
        "Patient/Name/LastName",
        "Patient/Name/FirstName",
        "Patient/DateOfBirth",
        "Patient/Address",
    ):
        assert element in words


def test_a_bad_npi_check_digit_is_refused(client):
    body = erx.new_rx(values={f"{PRESCRIBER}/Identification/NPI": "1987654321"})
    words = refused(erx.post(client, body))
    assert "not a valid NPI" in words


def test_a_drug_we_do_not_stock_is_refused(client, drug):
    body = erx.new_rx(
        values={f"{DRUG}/DrugDescription": "Tizanidine 4 mg oral tablet"},
        drop=(f"{DRUG}/DrugCoded",),
    )
    assert "does not stock" in refused(erx.post(client, body))


def test_a_strength_we_do_not_stock_is_refused(client, drug):
    body = erx.new_rx(
        values={
            f"{DRUG}/DrugDescription": "Baclofen 5 mg oral tablet",
            f"{DRUG}/DrugCoded/Strength/StrengthValue": "5",
        }
    )
    assert "does not stock" in refused(erx.post(client, body))


def test_a_message_other_than_new_rx_or_cancel_rx_is_refused(client):
    body = erx.new_rx().replace(b"NewRx>", b"RxRenewalRequest>")
    words = refused(erx.post(client, body))
    assert "RxRenewalRequest is not handled here" in words


def test_a_doctype_is_refused_before_anything_is_read(client):
    words = refused(erx.post(client, erx.fixture_bytes("doctype.xml")))
    assert "DOCTYPE" in words
    # Not read far enough to take its MessageID.
    assert ErxMessage.objects.get().message_id is None


def test_entity_expansion_expands_nothing(client):
    body = erx.fixture_bytes("entity-expansion.xml")
    started = time.monotonic()
    response = erx.post(client, body)
    assert time.monotonic() - started < 2
    words = refused(response)
    assert "entity" in words
    kept = ErxMessage.objects.get()
    assert kept.raw == body.decode()  # as sent, never expanded
    assert b"aaaaaaaaaa" * 20 not in response.content


def test_xml_that_is_not_well_formed_is_refused(client):
    assert "not well-formed" in refused(erx.post(client, b"<Message><Header>"))


class Unreadable(io.RawIOBase):
    def read(self, *args):
        raise AssertionError("the body was read")

    readinto = read


def test_an_oversized_body_is_refused_before_it_is_read(settings):
    settings.ERX_MAX_BODY_BYTES = 1024 * 1024
    request = RequestFactory().post(
        "/erx/script/",
        content_type="application/xml",
        HTTP_AUTHORIZATION=erx.basic(),
    )
    request.META["CONTENT_LENGTH"] = str(5 * 1024 * 1024)
    request.META["wsgi.input"] = Unreadable()

    response = views.script_endpoint(request)

    assert response.status_code == 413
    assert erx.error_of(response)[1] == "The message is larger than 1048576 bytes."
    kept = ErxMessage.objects.get()
    assert (kept.raw, kept.body_bytes) == ("", 5 * 1024 * 1024)


def test_a_5_mb_message_gets_an_error(client):
    body = erx.new_rx().replace(
        b"</Body>", b"<Pad>" + b"x" * (5 * 1024 * 1024) + b"</Pad></Body>"
    )
    response = erx.post(client, body)
    assert response.status_code == 413
    assert "larger than" in erx.error_of(response)[1]
    assert not EPrescription.objects.exists()


@pytest.mark.parametrize(
    "auth",
    [
        erx.basic(password="not-the-password"),
        erx.basic(name="someone-else"),
        "Bearer test-switch-password",
        "Basic !!!",
    ],
)
def test_wrong_credentials_are_refused_and_nothing_is_read(client, auth):
    response = erx.post(client, erx.new_rx(), auth=auth)

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Basic")
    assert erx.error_of(response)[1] == "Unknown intermediary or wrong password."
    assert not EPrescription.objects.exists()
    kept = ErxMessage.objects.get()
    assert (kept.intermediary, kept.raw) == ("", "")


def test_no_intermediary_configured_refuses_everyone(client, settings):
    settings.ERX_INTERMEDIARIES = {}
    assert erx.post(client, erx.new_rx()).status_code == 401


def test_a_refused_message_id_repeated_gets_the_same_error(client):
    body = erx.new_rx(values={f"{PRESCRIBER}/Identification/NPI": "1987654321"})
    first = erx.post(client, body)
    second = erx.post(client, body)
    assert second.content == first.content
    assert ErxMessage.objects.get().times_received == 2


def test_get_is_not_allowed(client):
    assert client.get("/erx/script/").status_code == 405
