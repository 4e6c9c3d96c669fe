"""Whether a drug needs a prescription, its maximum daily dose and its
cautions are clinical facts: once the drug is published only a pharmacist
changes them, each change recorded with who, when and why. Tried from the
drug's page, a forged POST, the round trip through draft, the cautions page
and the service."""

import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from catalog import clinical_facts
from catalog.models import ClinicalFactChange, DrugCaution, DrugStatus
from pharmacy.staff.roles import CATALOGUE_EDITORS, PHARMACISTS, PRICE_EDITORS
from tests.factories import make_drug, signed_in, staff_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def baclofen(db):
    drug = make_drug(sections=1)
    drug.max_daily_dose_mg = Decimal("80")
    drug.save()
    return drug


def change_url(drug) -> str:
    return reverse("admin:catalogue_drug_change", args=[drug.pk])


def drug_form(drug, **changes) -> dict:
    """The drug's page as a catalogue editor submits it, inlines unchanged."""
    data = {
        "generic_name": drug.generic_name,
        "brand_names": drug.brand_names,
        "search_terms": drug.search_terms,
        "dosage_form": drug.dosage_form,
        "route": drug.route,
        "status": drug.status,
        "strengths-TOTAL_FORMS": "0",
        "strengths-INITIAL_FORMS": "0",
        "sections-TOTAL_FORMS": "0",
        "sections-INITIAL_FORMS": "0",
        "_save": "Save",
        **changes,
    }
    return {k: v for k, v in data.items() if v is not None}


def test_an_editor_cannot_untick_prescription_or_raise_the_dose_of_a_published_drug(
    baclofen,
):
    client = signed_in(staff_in(CATALOGUE_EDITORS))
    page = client.get(change_url(baclofen)).text
    assert 'name="prescription_required"' not in page
    assert 'name="max_daily_dose_mg"' not in page

    # The checkbox left out reads as unticked; the dose typed in by hand.
    response = client.post(
        change_url(baclofen),
        drug_form(baclofen, brand_names="Lioresal", max_daily_dose_mg="100000"),
    )

    assert response.status_code == 302
    baclofen.refresh_from_db()
    assert baclofen.brand_names == "Lioresal"  # their own field saved
    assert baclofen.prescription_required is True
    assert baclofen.max_daily_dose_mg == Decimal("80")
    assert not ClinicalFactChange.objects.exists()


def test_taking_a_drug_back_to_draft_does_not_hand_the_facts_back(baclofen):
    client = signed_in(staff_in(CATALOGUE_EDITORS))
    client.post(change_url(baclofen), drug_form(baclofen, status="draft"))
    baclofen.refresh_from_db()
    assert baclofen.status == DrugStatus.DRAFT

    assert 'name="max_daily_dose_mg"' not in client.get(change_url(baclofen)).text
    client.post(
        change_url(baclofen),
        drug_form(baclofen, max_daily_dose_mg="100000", status="published"),
    )

    baclofen.refresh_from_db()
    assert baclofen.prescription_required is True
    assert baclofen.max_daily_dose_mg == Decimal("80")


def test_an_editor_sets_the_facts_of_a_draft_never_published(baclofen):
    baclofen.status = DrugStatus.DRAFT
    baclofen.save()
    client = signed_in(staff_in(CATALOGUE_EDITORS))

    client.post(
        change_url(baclofen),
        drug_form(baclofen, max_daily_dose_mg="60", prescription_required="on"),
    )

    baclofen.refresh_from_db()
    assert baclofen.max_daily_dose_mg == Decimal("60")


def test_a_pharmacist_changes_the_dose_with_a_reason_and_it_is_recorded(baclofen):
    pharmacist = staff_in(PHARMACISTS)
    client = signed_in(pharmacist)
    page = client.get(change_url(baclofen)).text
    assert 'name="max_daily_dose_mg"' in page
    assert 'name="generic_name"' not in page  # the names are the editors'

    response = client.post(
        change_url(baclofen),
        {
            "prescription_required": "on",
            "max_daily_dose_mg": "100",
            "reason": "Specialist regimen allows up to 100 mg a day.",
            "strengths-TOTAL_FORMS": "0",
            "strengths-INITIAL_FORMS": "0",
            "sections-TOTAL_FORMS": "1",
            "sections-INITIAL_FORMS": "1",
            "sections-0-id": str(baclofen.sections.get().pk),
            "sections-0-drug": str(baclofen.pk),
            "sections-0-position": "0",
            "sections-0-title": "Part 0",
            "sections-0-anchor": "part-0",
            "sections-0-body": baclofen.sections.get().body,
            "_save": "Save",
        },
    )

    assert response.status_code == 302, re.findall(r"errorlist.{0,300}", response.text)
    baclofen.refresh_from_db()
    assert baclofen.max_daily_dose_mg == Decimal("100")
    assert baclofen.status == DrugStatus.PUBLISHED
    (record,) = ClinicalFactChange.objects.all()
    assert (record.fact, record.old_value, record.new_value) == (
        "Maximum daily dose (mg)",
        "80",
        "100",
    )
    assert record.changed_by == pharmacist
    assert record.reason == "Specialist regimen allows up to 100 mg a day."
    assert record.changed_at is not None


def test_a_pharmacists_change_without_a_reason_is_refused_and_kept(baclofen):
    client = signed_in(staff_in(PHARMACISTS))

    response = client.post(
        change_url(baclofen),
        {
            "max_daily_dose_mg": "90",
            "strengths-TOTAL_FORMS": "0",
            "strengths-INITIAL_FORMS": "0",
            "sections-TOTAL_FORMS": "0",
            "sections-INITIAL_FORMS": "0",
            "_save": "Save",
        },
    )

    assert response.status_code == 200
    assert clinical_facts.REASON_NEEDED in response.text
    assert 'value="90"' in response.text  # what was typed stays
    baclofen.refresh_from_db()
    assert baclofen.prescription_required is True
    assert baclofen.max_daily_dose_mg == Decimal("80")


def test_the_service_refuses_anyone_but_a_pharmacist_and_any_change_without_why(
    baclofen,
):
    for role in (CATALOGUE_EDITORS, PRICE_EDITORS):
        with pytest.raises(PermissionDenied):
            clinical_facts.drug_clinical_facts_set(
                drug=baclofen, actor=staff_in(role), prescription_required=False
            )
    with pytest.raises(ValidationError):
        clinical_facts.drug_clinical_facts_set(
            drug=baclofen, actor=staff_in(PHARMACISTS), prescription_required=False
        )
    baclofen.refresh_from_db()
    assert baclofen.prescription_required is True


def test_the_pharmacist_adds_and_removes_a_caution_each_with_a_reason(baclofen):
    pharmacist = staff_in(PHARMACISTS)
    client = signed_in(pharmacist)
    add = reverse("admin:catalogue_drugcaution_add")
    caution = {
        "drug": str(baclofen.pk),
        "kind": "interaction",
        "category": "Opioids",
        "term": "oxycodone",
        "advice": "Added sedation.",
    }

    refused = client.post(add, caution)
    assert refused.status_code == 200
    assert clinical_facts.REASON_NEEDED in refused.text
    assert not DrugCaution.objects.exists()

    client.post(add, {**caution, "reason": "Label lists opioids."})
    saved = DrugCaution.objects.get(term="oxycodone")
    change = reverse("admin:catalogue_drugcaution_change", args=[saved.pk])
    client.post(
        change,
        {**caution, "remove": "on", "reason": "Duplicate of 'opioid'."},
    )

    assert not DrugCaution.objects.exists()
    added, removed = ClinicalFactChange.objects.order_by("changed_at", "id")
    assert added.reason == "Label lists opioids." and added.old_value == ""
    assert "oxycodone" in added.new_value
    assert removed.new_value == "" and "oxycodone" in removed.old_value
    assert {added.changed_by, removed.changed_by} == {pharmacist}


@pytest.mark.parametrize("role", [CATALOGUE_EDITORS, PRICE_EDITORS])
def test_only_a_pharmacist_reaches_the_cautions(baclofen, role):
    client = signed_in(staff_in(role))
    add = reverse("admin:catalogue_drugcaution_add")

    assert (
        client.get(reverse("admin:catalogue_drugcaution_changelist")).status_code == 403
    )
    response = client.post(
        add,
        {
            "drug": str(baclofen.pk),
            "kind": "condition",
            "category": "x",
            "term": "y",
            "reason": "z",
        },
    )

    assert response.status_code == 403
    assert not DrugCaution.objects.exists()
