"""Clinical flags the pharmacist must see, and acknowledge, before approving.

Plain functions over plain values, so each rule is tested alone:
- the daily dose from the directions above the drug's maximum daily dose;
- the patient's current medicines or conditions matching the drug's
  interaction and caution words (catalog.DrugCaution, data per drug);
- the patient aged 65 or over.
Days of supply at the prescribed dose are shown beside the flags. The dose is
what directions.directions_read read from the directions, or what the
pharmacist entered when it could not read them (records.record_dose).
"""

import re
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

SENIOR_AGE = 65


@dataclass(frozen=True)
class Flag:
    """One thing the pharmacist must acknowledge. ``code`` is stable for the
    same finding, so an acknowledgement stays attached to it."""

    code: str
    title: str
    detail: str


def daily_dose_mg(*, dose_mg: Decimal, doses_per_day: int) -> Decimal:
    return dose_mg * doses_per_day


def days_of_supply(
    *, tablets: int, strength_mg: Decimal, dose_mg: Decimal, doses_per_day: int
) -> int:
    """Whole days the tablets last at the prescribed dose: 90 tablets of 10 mg
    at 10 mg three times a day last 30 days."""
    daily = daily_dose_mg(dose_mg=dose_mg, doses_per_day=doses_per_day)
    return int((tablets * strength_mg / daily).to_integral_value(rounding=ROUND_FLOOR))


def dose_flags(
    *,
    drug_name: str,
    dose_mg: Decimal | None,
    doses_per_day: int | None,
    max_daily_mg: Decimal | None,
) -> list[Flag]:
    if dose_mg is None or not doses_per_day or max_daily_mg is None:
        return []
    daily = daily_dose_mg(dose_mg=dose_mg, doses_per_day=doses_per_day)
    if daily <= max_daily_mg:
        return []
    return [
        Flag(
            code=f"max-dose:{daily.normalize():f}",
            title="Daily dose above the usual maximum",
            detail=f"The directions give {daily.normalize():f} mg a day; the usual "
            f"maximum for {drug_name} is {max_daily_mg.normalize():f} mg a day.",
        )
    ]


def _mentions(text: str, term: str) -> bool:
    # Whole words, any case, a plural "s" allowed: "opioids" matches "opioid".
    return bool(
        re.search(rf"(?<!\w){re.escape(term)}s?(?!\w)", text or "", re.IGNORECASE)
    )


def caution_flags(
    *, drug_name: str, cautions, current_medicines: str, medical_conditions: str
) -> list[Flag]:
    """One flag per caution category that the patient's profile mentions.

    ``cautions``: the drug's catalog.DrugCaution rows (kind, category, term,
    advice). Interactions are looked for in the current medicines, conditions in
    the medical conditions.
    """
    found: dict[tuple[str, str], list] = {}
    for caution in cautions:
        text = (
            current_medicines if caution.kind == "interaction" else medical_conditions
        )
        if _mentions(text, caution.term):
            found.setdefault((caution.kind, caution.category), []).append(caution)
    flags = []
    for (kind, category), matches in found.items():
        terms = ", ".join(sorted({m.term for m in matches}))
        where = "current medicines" if kind == "interaction" else "medical conditions"
        advice = next((m.advice for m in matches if m.advice), "")
        flags.append(
            Flag(
                code=f"{kind}:{category.lower()}",
                title=(
                    f"Interaction with {drug_name}: {category}"
                    if kind == "interaction"
                    else f"Caution with {drug_name}: {category}"
                ),
                detail=f"The patient's {where} mention {terms}. {advice}".strip(),
            )
        )
    return flags


def age_flags(*, age: int | None) -> list[Flag]:
    if age is None or age < SENIOR_AGE:
        return []
    return [
        Flag(
            code="age:65+",
            title=f"Patient aged {SENIOR_AGE} or over",
            detail=f"The patient is {age}: more sensitive to sedation and "
            "confusion, and kidney function may be reduced.",
        )
    ]
