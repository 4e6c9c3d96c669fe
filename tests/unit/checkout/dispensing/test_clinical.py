"""The clinical flag rules, each on plain values."""

from decimal import Decimal
from types import SimpleNamespace

import pytest

from checkout.dispensing import clinical


def caution(kind, category, term, advice=""):
    return SimpleNamespace(kind=kind, category=category, term=term, advice=advice)


BACLOFEN = [
    caution("interaction", "Opioids", "oxycodone"),
    caution("interaction", "Opioids", "opioid"),
    caution("interaction", "Benzodiazepines", "diazepam"),
    caution("interaction", "Alcohol", "alcohol"),
    caution("condition", "Kidney disease", "kidney"),
    caution("condition", "Kidney disease", "renal"),
]


def test_days_of_supply_follow_the_prescribed_dose():
    # 90 tablets of 10 mg at 10 mg three times a day.
    assert (
        clinical.days_of_supply(
            tablets=90,
            strength_mg=Decimal("10"),
            dose_mg=Decimal("10"),
            doses_per_day=3,
        )
        == 30
    )


def test_days_of_supply_round_down_to_whole_days():
    assert (
        clinical.days_of_supply(
            tablets=30,
            strength_mg=Decimal("10"),
            dose_mg=Decimal("20"),
            doses_per_day=4,
        )
        == 3
    )


def test_a_daily_dose_above_the_maximum_is_flagged_and_at_it_is_not():
    above = clinical.dose_flags(
        drug_name="baclofen",
        dose_mg=Decimal("30"),
        doses_per_day=3,
        max_daily_mg=Decimal("80"),
    )
    at = clinical.dose_flags(
        drug_name="baclofen",
        dose_mg=Decimal("20"),
        doses_per_day=4,
        max_daily_mg=Decimal("80"),
    )

    assert [f.title for f in above] == ["Daily dose above the usual maximum"]
    assert "90 mg a day" in above[0].detail
    assert at == []


def test_no_dose_flag_without_a_maximum_or_a_dose():
    assert not clinical.dose_flags(
        drug_name="x", dose_mg=None, doses_per_day=3, max_daily_mg=Decimal("80")
    )
    assert not clinical.dose_flags(
        drug_name="x", dose_mg=Decimal("50"), doses_per_day=3, max_daily_mg=None
    )


def test_medicines_are_matched_as_whole_words_in_any_case_and_plural():
    flags = clinical.caution_flags(
        drug_name="baclofen",
        cautions=BACLOFEN,
        current_medicines="OxyCodone 5 mg; other opioids sometimes",
        medical_conditions="",
    )

    assert [f.code for f in flags] == ["interaction:opioids"]
    assert "opioid, oxycodone" in flags[0].detail


def test_part_of_a_word_does_not_match():
    flags = clinical.caution_flags(
        drug_name="baclofen",
        cautions=BACLOFEN,
        current_medicines="alcoholfree mouthwash",
        medical_conditions="adrenal fatigue",
    )

    assert flags == []


def test_conditions_are_looked_for_in_conditions_and_medicines_in_medicines():
    flags = clinical.caution_flags(
        drug_name="baclofen",
        cautions=BACLOFEN,
        current_medicines="kidney beans",
        medical_conditions="Renal impairment; diazepam allergy",
    )

    assert [f.code for f in flags] == ["condition:kidney disease"]


def test_one_flag_per_category_however_many_words_match():
    flags = clinical.caution_flags(
        drug_name="baclofen",
        cautions=BACLOFEN,
        current_medicines="diazepam, oxycodone, alcohol",
        medical_conditions="",
    )

    assert sorted(f.code for f in flags) == [
        "interaction:alcohol",
        "interaction:benzodiazepines",
        "interaction:opioids",
    ]


@pytest.mark.parametrize(("age", "flagged"), [(64, False), (65, True), (90, True)])
def test_patients_aged_65_or_over_are_flagged(age, flagged):
    assert bool(clinical.age_flags(age=age)) is flagged
