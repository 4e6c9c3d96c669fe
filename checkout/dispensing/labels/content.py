"""What a fill's label, leaflet and packing slip say: read once from the
fill, the prescription record, the drug and the pharmacy's settings, so the
PDF and the accessible HTML label print the same words.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings

from catalog.models import DrugCaution, MonographSection
from checkout.dispensing import records
from checkout.dispensing.refills import rules as refill_rules
from checkout.dispensing.stock.models import Fill

# 21 CFR 209.11: every fill, refills included, tells the patient how to
# report side effects to the FDA.
FDA_STATEMENT = (
    "Call your doctor for medical advice about side effects. You may report "
    "side effects to FDA at 1-800-FDA-1088."
)
# A pack dispensed sealed keeps its manufacturer's expiry, but the label
# never promises more than a year from the fill.
DISCARD_WITHIN_DAYS = 365

# Warning stickers, chosen by the caution categories a drug carries
# (catalog/cautions.py): a drug that interacts with CNS depressants makes you
# drowsy; one flagged with alcohol gets the alcohol sticker; one whose
# withdrawal can cause seizures must not be stopped suddenly.
STICKERS = {
    "CNS depressants": "May cause drowsiness. Take care driving or using machines.",
    "Alcohol": "Do not drink alcohol while taking this medicine.",
    "Epilepsy or seizures": (
        "Do not stop taking this medicine suddenly. Ask your prescriber how to "
        "stop it slowly."
    ),
}
# The monograph sections a patient needs, in the leaflet's order.
LEAFLET_SECTIONS = (
    "indications",
    "dosage",
    "counselling",
    "side-effects",
    "interactions",
    "overdose",
    "storage",
)
_TIMES = {
    1: "once a day",
    2: "twice a day",
    3: "three times a day",
    4: "four times a day",
}


@dataclass(frozen=True)
class LotLine:
    ndc: str
    lot_number: str
    expires_on: datetime.date
    tablets: int


@dataclass(frozen=True)
class Label:
    pharmacy_name: str
    pharmacy_address: str
    pharmacy_phone: str
    rx_number: str
    order_number: str
    filled_on: datetime.date
    patient_name: str
    prescriber: str
    drug: str  # name, strength and form: "Baclofen 10 mg tablets"
    quantity: int  # tablets
    directions: str  # plain words
    directions_as_written: str
    purpose: str
    refills_left: int
    prescription_expires: datetime.date | None
    discard_after: datetime.date
    lots: tuple[LotLine, ...]
    stickers: tuple[str, ...]
    drug_id: int
    fda_statement: str = FDA_STATEMENT


def plain_directions(*, dose_mg: Decimal | None, doses_per_day, strength_mg) -> str:
    """ "10 mg three times a day" of 10 mg tablets -> "Take 1 tablet by mouth
    three times a day."; empty when the record lacks the numbers."""
    if not dose_mg or not doses_per_day or not strength_mg:
        return ""
    tablets = (Decimal(dose_mg) / Decimal(strength_mg)).normalize()
    count = f"{tablets:f}"
    noun = "tablet" if tablets == 1 else "tablets"
    times = _TIMES.get(doses_per_day, f"{doses_per_day} times a day")
    return f"Take {count} {noun} by mouth {times}."


def label_of(*, fill: Fill) -> Label:
    """The label of a prescription fill (an order with a prescription record)."""
    order = fill.order
    record = records.record_for(order=order)
    lines = list(fill.lines.select_related("lot").order_by("pk"))
    filled_on = fill.filled_at.date()
    earliest = min(line.lot.expires_on for line in lines)
    pharmacy = settings.PHARMACY
    drug = record.drug
    strength_mg = record.strength.mg
    return Label(
        pharmacy_name=pharmacy["name"],
        pharmacy_address=pharmacy["street_address"],
        pharmacy_phone=pharmacy["phone"],
        rx_number=refill_rules.rx_number(record=record),
        order_number=order.number,
        filled_on=filled_on,
        patient_name=order.patient.full_name,
        prescriber=record.prescriber_name,
        drug=(
            f"{drug.generic_name.capitalize()} {strength_mg.normalize():f} mg "
            f"{drug.get_dosage_form_display().lower()}s"
        ),
        quantity=sum(line.tablets for line in lines),
        directions=plain_directions(
            dose_mg=record.dose_mg,
            doses_per_day=record.doses_per_day,
            strength_mg=strength_mg,
        )
        or record.directions,
        directions_as_written=record.directions,
        purpose=record.purpose,
        refills_left=refill_rules.refills_left(record=record),
        prescription_expires=refill_rules.expiry_date(record=record),
        discard_after=min(
            earliest, filled_on + datetime.timedelta(days=DISCARD_WITHIN_DAYS)
        ),
        lots=tuple(
            LotLine(
                ndc=ndc_display(line.lot.ndc),
                lot_number=line.lot.lot_number,
                expires_on=line.lot.expires_on,
                tablets=line.tablets,
            )
            for line in lines
        ),
        stickers=stickers_for(drug_id=drug.pk),
        drug_id=drug.pk,
    )


def ndc_display(ndc: str) -> str:
    """A 10-digit NDC in the 5-3-2 form labels print (the labeler's own
    split is not in the code; 5-3-2 is read unambiguously with the digits)."""
    return f"{ndc[:5]}-{ndc[5:8]}-{ndc[8:]}" if len(ndc) == 10 else ndc


def stickers_for(*, drug_id: int) -> tuple[str, ...]:
    categories = set(
        DrugCaution.objects.filter(drug_id=drug_id).values_list("category", flat=True)
    )
    return tuple(text for category, text in STICKERS.items() if category in categories)


def leaflet_of(*, drug_id: int) -> list[MonographSection]:
    """The patient leaflet: the monograph's patient sections, in order."""
    sections = {s.anchor: s for s in MonographSection.objects.filter(drug_id=drug_id)}
    return [sections[a] for a in LEAFLET_SECTIONS if a in sections]
