"""Clinical flags the pharmacist must see, and acknowledge, before approving.

Plain functions over plain values, so each rule is tested alone:
- the daily dose from the directions above the drug's maximum daily dose;
- the patient's current medicines or conditions matching the drug's
  interaction and caution words (catalog.DrugCaution, data per drug);
- the patient aged 65 or over.
Days of supply from the directions are shown beside the flags.
"""

import re
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal, InvalidOperation

SENIOR_AGE = 65

_NUMBER_WORDS = {
    "once": 1,
    "one": 1,
    "twice": 2,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
}
_LATIN = {"qd": 1, "od": 1, "daily": 1, "bid": 2, "bd": 2, "tid": 3, "tds": 3, "qid": 4}
_DOSE = re.compile(r"(\d+(?:\.\d+)?)\s*mg\b", re.IGNORECASE)
_TIMES = re.compile(
    r"\b(\d+|once|twice|one|two|three|four|five|six)\s*(?:times?\s*)?"
    r"(?:a|per|each)?\s*day\b|\b(\d+|once|twice|one|two|three|four|five|six)\s+"
    r"times?\s+daily\b|\b(once|twice)\s+daily\b",
    re.IGNORECASE,
)
_LATIN_RE = re.compile(r"\b(qd|od|bid|bd|tid|tds|qid)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Flag:
    """One thing the pharmacist must acknowledge. ``code`` is stable for the
    same finding, so an acknowledgement stays attached to it."""

    code: str
    title: str
    detail: str


def _count(word: str) -> int | None:
    word = word.lower()
    if word.isdigit():
        return int(word)
    return _NUMBER_WORDS.get(word)


def parse_directions(*, directions: str) -> tuple[Decimal, int] | None:
    """(mg each time, times a day) read from directions such as "10 mg three
    times a day", "20mg 4 times daily" or "5 mg TID"; None if unclear."""
    dose = _DOSE.search(directions or "")
    if dose is None:
        return None
    try:
        mg = Decimal(dose.group(1))
    except InvalidOperation:
        return None
    times = None
    match = _TIMES.search(directions)
    if match:
        times = _count(next(g for g in match.groups() if g))
    else:
        latin = _LATIN_RE.search(directions)
        if latin:
            times = _LATIN[latin.group(1).lower()]
        elif re.search(r"\b(daily|a day|every day)\b", directions, re.IGNORECASE):
            times = 1
    if not times or mg <= 0:
        return None
    return mg, times


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
