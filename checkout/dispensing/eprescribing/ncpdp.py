"""NCPDP SCRIPT 2017071 over XML: reading NewRx and CancelRx, and writing the
Status or Error answer.

Read with defusedxml, which refuses a DOCTYPE, any entity and any external
reference before expanding anything, so a hostile message costs nothing but
its (size-limited) bytes. The standard's schema files are not ours to ship:
the elements the pharmacy needs are checked in content.py. Namespaces are
ignored (elements are found by local name), as senders differ in whether they
qualify them.
"""

import datetime
import uuid
import xml.etree.ElementTree as ET  # only to write our answers, never to read

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET
from django.utils import timezone

from checkout.dispensing.eprescribing.content import (
    Header,
    MessageRefused,
    NewRx,
    date_read,
    strength_mg,
)

VERSION = "2017071"
CONTENT_TYPE = "application/xml; charset=utf-8"
# Status 010: accepted by the ultimate receiver (the pharmacy itself).
STATUS_ACCEPTED = "010"
# NCPDP's unit-of-measure code for milligram (NCI thesaurus C28253).
MILLIGRAM = "C28253"


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _find(element, *names):
    for name in names:
        if element is None:
            return None
        element = next((c for c in element if _local(c.tag) == name), None)
    return element


def _text(element, *names) -> str:
    found = _find(element, *names)
    return (found.text or "").strip() if found is not None else ""


def document_read(*, body: bytes):
    """The message's root element, or MessageRefused (nothing expanded)."""
    try:
        root = SafeET.fromstring(
            body, forbid_dtd=True, forbid_entities=True, forbid_external=True
        )
    except DefusedXmlException:
        raise MessageRefused(
            "The message has a DOCTYPE, an entity or an external reference; "
            "none is accepted."
        ) from None
    except ET.ParseError:
        raise MessageRefused("The message is not well-formed XML.") from None
    if _local(root.tag) != "Message":
        raise MessageRefused("The root element is not Message.")
    return root


def message_kind(*, root) -> str:
    """The transaction's name: the first element of Body."""
    body = _find(root, "Body")
    first = next(iter(body), None) if body is not None else None
    return _local(first.tag) if first is not None else ""


def header_read(*, root) -> Header:
    header = _find(root, "Header")
    return Header(
        message_id=_text(header, "MessageID"),
        relates_to_message_id=_text(header, "RelatesToMessageID"),
        prescriber_order_number=_text(header, "PrescriberOrderNumber"),
        sender=_text(header, "From"),
        receiver=_text(header, "To"),
    )


def _date(element, what: str) -> datetime.date | None:
    text = _text(element, "Date") or _text(element, "DateTime")
    return date_read(text=text, what=what)


def _address(element) -> str:
    """The address on one line, or "" when a part we need is missing."""
    parts = [
        _text(element, name)
        for name in (
            "AddressLine1",
            "AddressLine2",
            "City",
            "StateProvince",
            "PostalCode",
        )
    ]
    needed = (parts[0], parts[2], parts[3], parts[4])
    return ", ".join(p for p in parts if p) if all(needed) else ""


def _substitution(text: str) -> bool | None:
    # 1: the prescriber does not allow substitution; 0 and the other product
    # selection codes leave it to the pharmacy.
    if not text.isdigit():
        return None
    return text != "1"


def _strength(drug) -> str:
    """The coded strength, or failing that the one the description names."""
    strength = _find(drug, "DrugCoded", "Strength")
    value = _text(strength, "StrengthValue")
    if not value:
        described = strength_mg(text=_text(drug, "DrugDescription"))
        return f"{described.normalize():f} mg" if described else ""
    unit = _text(strength, "StrengthUnitOfMeasure", "Code")
    return f"{value} mg" if unit in ("", MILLIGRAM) else f"{value} {unit}"


def new_rx_read(*, root) -> NewRx:
    """A NewRx's elements, as sent (content.new_rx_check checks them)."""
    new_rx = _find(root, "Body", "NewRx")
    patient = _find(new_rx, "Patient", "HumanPatient")
    prescriber = _find(new_rx, "Prescriber", "NonVeterinarian")
    drug = _find(new_rx, "MedicationPrescribed")
    return NewRx(
        header=header_read(root=root),
        patient_first_name=_text(patient, "Name", "FirstName"),
        patient_middle_name=_text(patient, "Name", "MiddleName"),
        patient_last_name=_text(patient, "Name", "LastName"),
        patient_date_of_birth=_date(
            _find(patient, "DateOfBirth"), "Patient/DateOfBirth"
        ),
        patient_address=_address(_find(patient, "Address")),
        patient_phone=_text(
            patient, "CommunicationNumbers", "PrimaryTelephone", "Number"
        ),
        patient_email=_text(patient, "CommunicationNumbers", "ElectronicMail"),
        prescriber_first_name=_text(prescriber, "Name", "FirstName"),
        prescriber_last_name=_text(prescriber, "Name", "LastName"),
        prescriber_npi=_text(prescriber, "Identification", "NPI"),
        prescriber_address=_address(_find(prescriber, "Address")),
        prescriber_phone=_text(
            prescriber, "CommunicationNumbers", "PrimaryTelephone", "Number"
        ),
        drug_description=_text(drug, "DrugDescription"),
        strength=_strength(drug),
        quantity=_text(drug, "Quantity", "Value"),
        directions=_text(drug, "Sig", "SigText"),
        refills=_text(drug, "NumberOfRefills"),
        date_written=_date(
            _find(drug, "WrittenDate"), "MedicationPrescribed/WrittenDate"
        ),
        substitution_allowed=_substitution(_text(drug, "Substitutions")),
    )


def cancel_rx_npi(*, root) -> str:
    return _text(
        root,
        "Body",
        "CancelRx",
        "Prescriber",
        "NonVeterinarian",
        "Identification",
        "NPI",
    )


def answer(*, header: Header | None, error: MessageRefused | None = None) -> str:
    """Our answer: a Status, or an Error with its code and words, addressed
    back to the sender and naming the message it answers."""
    header = header or Header()
    message = ET.Element(
        "Message",
        {
            "DatatypesVersion": VERSION,
            "TransportVersion": VERSION,
            "TransactionDomain": "SCRIPT",
            "TransactionVersion": VERSION,
            "StructuresVersion": VERSION,
            "ECLVersion": VERSION,
        },
    )
    head = ET.SubElement(message, "Header")
    ET.SubElement(head, "To").text = header.sender
    ET.SubElement(head, "From").text = header.receiver
    ET.SubElement(head, "MessageID").text = uuid.uuid4().hex
    if header.message_id:
        ET.SubElement(head, "RelatesToMessageID").text = header.message_id
    ET.SubElement(head, "SentTime").text = timezone.now().isoformat(timespec="seconds")
    body = ET.SubElement(message, "Body")
    if error is None:
        status = ET.SubElement(body, "Status")
        ET.SubElement(status, "Code").text = STATUS_ACCEPTED
    else:
        failed = ET.SubElement(body, "Error")
        ET.SubElement(failed, "Code").text = error.code
        ET.SubElement(failed, "Description").text = error.words
    return ET.tostring(message, encoding="unicode", xml_declaration=True)
