"""Synthetic e-prescription messages for tests, built from the fixtures in
fixtures/erx/ (written for this project; no real patient or prescriber), and
posting them to the endpoint as an intermediary would."""

import base64
import copy
import datetime
import json
import xml.etree.ElementTree as ET  # our own fixture files only
from pathlib import Path

from django.urls import reverse

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "erx"
INTERMEDIARY = "test-switch"
PASSWORD = "test-switch-password"
NEW_RX_ID = "demo-newrx-0001"
CANCEL_RX_ID = "demo-cancelrx-0001"


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def _written_recently(root) -> None:
    # The fixture's date ages; a test's prescription was written three days ago.
    written = root.find("Body/NewRx/MedicationPrescribed/WrittenDate/Date")
    if written is not None:
        written.text = (datetime.date.today() - datetime.timedelta(days=3)).isoformat()


def message(name: str, *, values: dict | None = None, drop: tuple = ()) -> bytes:
    """The fixture with elements changed ({path: text}) or dropped (paths)."""
    root = ET.fromstring(fixture_bytes(name))  # noqa: S314  our own fixture
    _written_recently(root)
    for path, text in (values or {}).items():
        root.find(path).text = text
    for path in drop:
        parent_path, _, child = path.rpartition("/")
        parent = root.find(parent_path)
        parent.remove(parent.find(child))
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def new_rx(**kwargs) -> bytes:
    return message("newrx.xml", **kwargs)


def cancel_rx(**kwargs) -> bytes:
    return message("cancelrx.xml", **kwargs)


def bundle(*, change=None) -> bytes:
    """The FHIR Bundle fixture, authored three days ago; ``change`` edits the
    parsed JSON in place."""
    data = json.loads(fixture_bytes("medicationrequest-bundle.json"))
    for entry in data["entry"]:
        if entry["resource"]["resourceType"] == "MedicationRequest":
            entry["resource"]["authoredOn"] = (
                datetime.date.today() - datetime.timedelta(days=3)
            ).isoformat()
    data = copy.deepcopy(data)
    if change:
        change(data)
    return json.dumps(data).encode()


def basic(name: str = INTERMEDIARY, password: str = PASSWORD) -> str:
    return "Basic " + base64.b64encode(f"{name}:{password}".encode()).decode()


def post(
    client,
    body: bytes,
    *,
    endpoint: str = "script",
    auth: str | None = None,
    content_type: str | None = None,
):
    default_type = (
        "application/xml" if endpoint == "script" else "application/fhir+json"
    )
    return client.post(
        reverse(f"eprescribing:{endpoint}"),
        body,
        content_type=content_type or default_type,
        HTTP_AUTHORIZATION=auth or basic(),
    )


def answer_of(response) -> ET.Element:
    return ET.fromstring(response.content)  # noqa: S314  our own answer


def error_of(response) -> tuple[str, str] | None:
    """(code, words) of an Error answer, or None for a Status."""
    error = answer_of(response).find("Body/Error")
    if error is None:
        return None
    return error.findtext("Code"), error.findtext("Description")
