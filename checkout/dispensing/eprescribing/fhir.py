"""FHIR R4: a Bundle holding a MedicationRequest with its Patient and its
Practitioner, read as a NewRx (content.py checks it like any other), and the
OperationOutcome we answer with.

The whole Bundle is first validated against the FHIR models of
fhir.resources (its R4B package: R4B left R4's MedicationRequest, Patient and
Practitioner as they were); then the fields the pharmacy needs are read from
the JSON by their FHIR names, and the words a sender gets name the element
that was missing or wrong.
"""

import datetime
import json

from django.conf import settings

from checkout.dispensing.eprescribing.content import (
    Header,
    MessageRefused,
    NewRx,
    date_read,
    strength_mg,
)
from pharmacy.core import bodies

CONTENT_TYPE = "application/fhir+json; charset=utf-8"
NPI_SYSTEM = "http://hl7.org/fhir/sid/us-npi"

# content.py's element names, as a FHIR sender knows them.
_MR = "MedicationRequest"
LABELS = {
    "Header/MessageID": "Bundle.identifier.value",
    "Patient/Name/LastName": "Patient.name.family",
    "Patient/Name/FirstName": "Patient.name.given",
    "Patient/DateOfBirth": "Patient.birthDate",
    "Patient/Address": "Patient.address (line, city, state, postalCode)",
    "Prescriber/Name/LastName": "Practitioner.name.family",
    "Prescriber/Identification/NPI": "Practitioner.identifier (us-npi)",
    "Prescriber/Address": "Practitioner.address (line, city, state, postalCode)",
    "Prescriber/CommunicationNumbers/PrimaryTelephone": "Practitioner.telecom (phone)",
    "MedicationPrescribed/DrugDescription": f"{_MR}.medicationCodeableConcept.text",
    "MedicationPrescribed/Strength": f"{_MR}.medicationCodeableConcept.text (mg)",
    "MedicationPrescribed/Quantity/Value": f"{_MR}.dispenseRequest.quantity.value",
    "MedicationPrescribed/Sig/SigText": f"{_MR}.dosageInstruction.text",
    "MedicationPrescribed/NumberOfRefills": (
        f"{_MR}.dispenseRequest.numberOfRepeatsAllowed"
    ),
    "MedicationPrescribed/WrittenDate": f"{_MR}.authoredOn",
    "MedicationPrescribed/Substitutions": f"{_MR}.substitution.allowedBoolean",
}


def _dict(value) -> dict:
    return value if isinstance(value, dict) else {}


def _list(value) -> list:
    return value if isinstance(value, list) else []


def _str(value) -> str:
    return value.strip() if isinstance(value, str) else ""


def _number(value) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return ""
    return str(value)


def _date(value, what: str) -> datetime.date | None:
    return date_read(text=_str(value), what=what)


def _name(resource: dict) -> tuple[str, str, str]:
    name = _dict(next(iter(_list(resource.get("name"))), None))
    given = [_str(g) for g in _list(name.get("given")) if _str(g)]
    first = given[0] if given else ""
    return first, " ".join(given[1:]), _str(name.get("family"))


def _address(resource: dict) -> str:
    address = _dict(next(iter(_list(resource.get("address"))), None))
    lines = [_str(line) for line in _list(address.get("line")) if _str(line)]
    city, state, postal = (
        _str(address.get(k)) for k in ("city", "state", "postalCode")
    )
    if not (lines and city and state and postal):
        return ""
    return ", ".join([*lines, city, state, postal])


def _telecom(resource: dict, system: str) -> str:
    for point in _list(resource.get("telecom")):
        if _dict(point).get("system") == system and _str(point.get("value")):
            return _str(point["value"])
    return ""


def _resolve(bundle_entries: list, reference, kind: str) -> dict:
    """The entry a reference points at ("Patient/p1" or a fullUrl)."""
    target = _str(_dict(reference).get("reference"))
    for entry in bundle_entries:
        resource = _dict(entry.get("resource"))
        if resource.get("resourceType") != kind:
            continue
        if target in (_str(entry.get("fullUrl")), f"{kind}/{_str(resource.get('id'))}"):
            return resource
    return {}


def _validate(*, body: bytes) -> None:
    # Imported here: the models take a second to load, which only a FHIR
    # message should pay, not every process that starts.
    from fhir.resources.R4B.bundle import Bundle
    from pydantic import ValidationError

    try:
        Bundle.model_validate_json(body)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "Bundle"
        # The location and the rule, never the value (which may be health data).
        raise MessageRefused(
            f"The Bundle is not valid FHIR R4: {where}: {first['msg']}."
        ) from None


def bundle_read(*, body: bytes) -> NewRx:
    """The Bundle's prescription as a NewRx, or MessageRefused when it is not
    a Bundle with one MedicationRequest."""
    try:
        # The size was checked before the body was read; this is its depth.
        bodies.json_body_check(body, max_bytes=settings.ERX_MAX_BODY_BYTES)
    except bodies.BodyRefused as exc:
        raise MessageRefused(f"The {exc}.") from None
    try:
        bundle = json.loads(body)
    except (ValueError, RecursionError):
        raise MessageRefused("The body is not JSON.") from None
    if _dict(bundle).get("resourceType") != "Bundle":
        raise MessageRefused("The body is not a FHIR Bundle.")
    _validate(body=body)
    entries = [_dict(e) for e in _list(bundle.get("entry"))]
    requests = [
        _dict(e.get("resource"))
        for e in entries
        if _dict(e.get("resource")).get("resourceType") == "MedicationRequest"
    ]
    if len(requests) != 1:
        raise MessageRefused("The Bundle must hold exactly one MedicationRequest.")
    request = requests[0]
    if request.get("intent") not in ("order", "original-order"):
        raise MessageRefused('MedicationRequest.intent must be "order".')
    patient = _resolve(entries, request.get("subject"), "Patient")
    doctor = _resolve(entries, request.get("requester"), "Practitioner")
    if not patient:
        raise MessageRefused(
            "Required element missing: the Patient that "
            "MedicationRequest.subject names."
        )
    if not doctor:
        raise MessageRefused(
            "Required element missing: the Practitioner that "
            "MedicationRequest.requester names."
        )
    first, middle, last = _name(patient)
    doctor_first, _, doctor_last = _name(doctor)
    description = _str(_dict(request.get("medicationCodeableConcept")).get("text"))
    mg = strength_mg(text=description)
    dispense = _dict(request.get("dispenseRequest"))
    dosage = _dict(next(iter(_list(request.get("dosageInstruction"))), None))
    allowed = _dict(request.get("substitution")).get("allowedBoolean")
    npi = next(
        (
            _str(i.get("value"))
            for i in map(_dict, _list(doctor.get("identifier")))
            if i.get("system") == NPI_SYSTEM
        ),
        "",
    )
    identifier = _dict(bundle.get("identifier"))
    return NewRx(
        header=Header(
            message_id=_str(identifier.get("value")),
            prescriber_order_number=_str(
                _dict(next(iter(_list(request.get("identifier"))), None)).get("value")
            ),
        ),
        labels=LABELS,
        patient_first_name=first,
        patient_middle_name=middle,
        patient_last_name=last,
        patient_date_of_birth=_date(patient.get("birthDate"), "Patient.birthDate"),
        patient_address=_address(patient),
        patient_phone=_telecom(patient, "phone"),
        patient_email=_telecom(patient, "email"),
        prescriber_first_name=doctor_first,
        prescriber_last_name=doctor_last,
        prescriber_npi=npi,
        prescriber_address=_address(doctor),
        prescriber_phone=_telecom(doctor, "phone"),
        drug_description=description,
        strength=f"{mg.normalize():f} mg" if mg else "",
        quantity=_number(_dict(dispense.get("quantity")).get("value")),
        directions=_str(dosage.get("text")),
        refills=_number(dispense.get("numberOfRepeatsAllowed")),
        date_written=_date(request.get("authoredOn"), "MedicationRequest.authoredOn"),
        substitution_allowed=allowed if isinstance(allowed, bool) else None,
    )


def outcome(*, error: MessageRefused | None) -> str:
    """An OperationOutcome: information when accepted, else the error's
    words (with NCPDP's code, so both formats report alike)."""
    if error is None:
        issue = {
            "severity": "information",
            "code": "informational",
            "diagnostics": "Accepted: the prescription is with the pharmacy.",
        }
    else:
        issue = {
            "severity": "error",
            "code": "invalid",
            "details": {"coding": [{"code": error.code}], "text": error.words},
        }
    return json.dumps({"resourceType": "OperationOutcome", "issue": [issue]})
