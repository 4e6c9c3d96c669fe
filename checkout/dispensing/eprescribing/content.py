"""What a prescription message says, whatever its format (NCPDP SCRIPT or
FHIR), and the one check of what the pharmacy needs from it.

The parsers (ncpdp.py, fhir.py) fill these in with whatever they found;
``new_rx_check`` refuses a message missing an element we need, a bad NPI, or
a drug and strength we do not stock.
"""

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError

from catalog.models import Drug, Strength
from checkout.dispensing import prescriptions


class MessageRefused(Exception):
    """The message gets an Error. ``code`` is NCPDP's Error code (900:
    transaction rejected; 601: receiver unable to process); the words say
    what was wrong, for the sender, and hold none of the patient's details."""

    def __init__(self, words: str, *, code: str = "900"):
        super().__init__(words)
        self.code = code
        self.words = words


@dataclass
class Header:
    message_id: str = ""
    relates_to_message_id: str = ""
    prescriber_order_number: str = ""
    sender: str = ""
    receiver: str = ""


@dataclass
class NewRx:
    """A new prescription, as sent. Strings are stripped; a missing element
    is an empty string (or None for a date)."""

    header: Header = field(default_factory=Header)
    patient_first_name: str = ""
    patient_middle_name: str = ""
    patient_last_name: str = ""
    patient_date_of_birth: datetime.date | None = None
    patient_address: str = ""
    patient_phone: str = ""
    patient_email: str = ""
    prescriber_first_name: str = ""
    prescriber_last_name: str = ""
    prescriber_npi: str = ""
    prescriber_address: str = ""
    prescriber_phone: str = ""
    drug_description: str = ""
    strength: str = ""  # "10 mg", or the description's strength
    quantity: str = ""  # tablets, as written
    directions: str = ""
    refills: str = ""
    date_written: datetime.date | None = None
    # None: the message did not say.
    substitution_allowed: bool | None = None
    # How the sender's format names content.py's elements (fhir.LABELS).
    labels: dict[str, str] | None = None

    @property
    def prescriber_name(self) -> str:
        return f"Dr {self.prescriber_first_name} {self.prescriber_last_name}".strip()


@dataclass(frozen=True)
class CheckedNewRx:
    """A NewRx the pharmacy can fill: the drug and strength we stock, and the
    numbers as numbers."""

    rx: NewRx
    drug: Drug
    strength: Strength
    quantity: int
    refills: int


# The elements we need, in the order a sender is told about them.
_REQUIRED = (
    ("header.message_id", "Header/MessageID"),
    ("patient_last_name", "Patient/Name/LastName"),
    ("patient_first_name", "Patient/Name/FirstName"),
    ("patient_date_of_birth", "Patient/DateOfBirth"),
    ("patient_address", "Patient/Address"),
    ("prescriber_last_name", "Prescriber/Name/LastName"),
    ("prescriber_npi", "Prescriber/Identification/NPI"),
    ("prescriber_address", "Prescriber/Address"),
    ("prescriber_phone", "Prescriber/CommunicationNumbers/PrimaryTelephone"),
    ("drug_description", "MedicationPrescribed/DrugDescription"),
    ("strength", "MedicationPrescribed/Strength"),
    ("quantity", "MedicationPrescribed/Quantity/Value"),
    ("directions", "MedicationPrescribed/Sig/SigText"),
    ("refills", "MedicationPrescribed/NumberOfRefills"),
    ("date_written", "MedicationPrescribed/WrittenDate"),
    ("substitution_allowed", "MedicationPrescribed/Substitutions"),
)

_MG = re.compile(r"(\d+(?:\.\d+)?)\s*mg\b", re.I)


def _value(rx: NewRx, path: str):
    value = rx
    for name in path.split("."):
        value = getattr(value, name)
    return value


def missing_elements(*, rx: NewRx) -> list[str]:
    labels = rx.labels or {}
    return [
        labels.get(label, label)
        for path, label in _REQUIRED
        if _value(rx, path) in (None, "")
    ]


def _label(rx: NewRx, label: str) -> str:
    return (rx.labels or {}).get(label, label)


def _whole(*, text: str, what: str, least: int) -> int:
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise MessageRefused(f"{what} is not a number.") from None
    if number != number.to_integral_value() or number < least:
        raise MessageRefused(f"{what} must be a whole number of at least {least}.")
    return int(number)


def date_read(*, text: str, what: str) -> datetime.date | None:
    """A date as sent (a date-time counts by its date); None when empty."""
    if not text:
        return None
    try:
        return datetime.date.fromisoformat(text[:10])
    except ValueError:
        raise MessageRefused(f"{what} is not a date (YYYY-MM-DD).") from None


def strength_mg(*, text: str) -> Decimal | None:
    match = _MG.search(text)
    return Decimal(match.group(1)) if match else None


def new_rx_check(*, rx: NewRx) -> CheckedNewRx:
    """Refuse a NewRx the pharmacy cannot take: an element missing, an NPI
    that is not one, a date of birth or written in the future, or a drug and
    strength we do not stock. Returns it with the catalogue's drug and
    strength."""
    missing = missing_elements(rx=rx)
    if missing:
        raise MessageRefused("Required element missing: " + ", ".join(missing) + ".")
    try:
        prescriptions.npi_check(npi=rx.prescriber_npi)
    except ValidationError:
        raise MessageRefused(
            f"{_label(rx, 'Prescriber/Identification/NPI')} is not a valid NPI "
            "(10 digits with a correct check digit)."
        ) from None
    today = datetime.date.today()
    if rx.patient_date_of_birth > today:
        raise MessageRefused(f"{_label(rx, 'Patient/DateOfBirth')} is in the future.")
    if rx.date_written > today:
        raise MessageRefused(
            f"{_label(rx, 'MedicationPrescribed/WrittenDate')} is in the future."
        )
    quantity = _whole(
        text=rx.quantity,
        what=_label(rx, "MedicationPrescribed/Quantity/Value"),
        least=1,
    )
    refills = _whole(
        text=rx.refills,
        what=_label(rx, "MedicationPrescribed/NumberOfRefills"),
        least=0,
    )
    drug = drug_find(description=rx.drug_description)
    mg = strength_mg(text=rx.strength) or strength_mg(text=rx.drug_description)
    strength = (
        Strength.objects.filter(drug=drug, mg=mg).first()
        if drug is not None and mg is not None
        else None
    )
    if strength is None:
        raise MessageRefused(
            "This pharmacy does not stock the drug and strength prescribed "
            f"({_label(rx, 'MedicationPrescribed/DrugDescription')})."
        )
    return CheckedNewRx(
        rx=rx, drug=drug, strength=strength, quantity=quantity, refills=refills
    )


def drug_find(*, description: str) -> Drug | None:
    """The catalogue drug whose generic or brand name the description names."""
    text = description.lower()
    for drug in Drug.objects.filter(prescription_required=True):
        names = [drug.generic_name, *drug.brand_name_list]
        if any(re.search(rf"\b{re.escape(n.lower())}\b", text) for n in names if n):
            return drug
    return None
