"""A drug's clinical facts: whether it needs a prescription, its maximum
daily dose and its cautions (the words the pharmacist's flags look for).

Until a drug is first published the catalogue editor drafting it sets them.
From then on they are clinical decisions: only a pharmacist changes them, and
each change is recorded with who, when, the old and new value, and why
(ClinicalFactChange). Every path that changes them after publication (the
drug's admin page, the cautions' admin page, a forged POST, a command) comes
through here.
"""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from catalog.models import ClinicalFactChange, Drug, DrugCaution
from pharmacy.staff.roles import Perm, may

# The drug's own columns that are clinical facts, with how staff name them.
CLINICAL_FACTS = {
    "prescription_required": "Prescription required",
    "max_daily_dose_mg": "Maximum daily dose (mg)",
}
REASON_NEEDED = "Say why this clinical fact changes; the reason is kept with it."


def clinical_facts_editable(*, user, drug: Drug | None) -> bool:
    """Whether this user may change the drug's clinical facts now: the
    drafting editor before publication, afterwards only a pharmacist."""
    if drug is not None and drug.clinical_facts_locked:
        return may(user, Perm.CHANGE_CLINICAL_FACTS)
    return may(user, Perm.EDIT_DRUGS) or may(user, Perm.CHANGE_CLINICAL_FACTS)


def _shown(value) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return "" if value is None else str(value)


@transaction.atomic
def drug_clinical_facts_set(
    *, drug: Drug, actor, reason: str = "", **facts
) -> list[ClinicalFactChange]:
    """Set the clinical facts given (``prescription_required``,
    ``max_daily_dose_mg``) on the stored drug. A fact that really changes
    needs an actor who may change it (PermissionDenied) and, once the drug
    has been published, a reason (ValidationError); each such change is
    recorded. Returns the records made."""
    unknown = set(facts) - set(CLINICAL_FACTS)
    if unknown:
        raise ValueError(f"Not clinical facts: {sorted(unknown)}")
    stored = Drug.objects.select_for_update().get(pk=drug.pk)
    changed = {f: v for f, v in facts.items() if getattr(stored, f) != v}
    if not changed:
        return []
    if not clinical_facts_editable(user=actor, drug=stored):
        raise PermissionDenied(
            "Once a drug is published only a pharmacist changes whether it needs "
            "a prescription, its maximum daily dose and its cautions."
        )
    records = []
    if stored.clinical_facts_locked:
        reason = _reason_required(reason)
        records = ClinicalFactChange.objects.bulk_create(
            ClinicalFactChange(
                drug=stored,
                fact=CLINICAL_FACTS[field],
                old_value=_shown(getattr(stored, field)),
                new_value=_shown(value),
                reason=reason,
                changed_by=actor,
            )
            for field, value in changed.items()
        )
    for field, value in changed.items():
        setattr(stored, field, value)
        setattr(drug, field, value)
    stored.save(update_fields=list(changed))
    return records


def _reason_required(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(REASON_NEEDED, code="reason")
    return reason


def _caution_words(caution: DrugCaution | None) -> str:
    if caution is None:
        return ""
    advice = f": {caution.advice}" if caution.advice else ""
    return f"{caution.get_kind_display()}, {caution.category}, '{caution.term}'{advice}"


@transaction.atomic
def drug_caution_save(
    *, caution: DrugCaution, actor, reason: str, remove: bool = False
) -> ClinicalFactChange | None:
    """Add, change or (``remove``) delete one caution word of a drug, as a
    pharmacist, with the reason recorded. Returns the record, or None when
    nothing changed."""
    if not may(actor, Perm.CHANGE_CLINICAL_FACTS):
        raise PermissionDenied("Only a pharmacist changes a drug's cautions.")
    old = (
        DrugCaution.objects.select_for_update().filter(pk=caution.pk).first()
        if caution.pk
        else None
    )
    new_words = "" if remove else _caution_words(caution)
    if _caution_words(old) == new_words:
        return None
    reason = _reason_required(reason)
    if remove:
        if old is not None:
            old.delete()
    else:
        caution.save()
    return ClinicalFactChange.objects.create(
        drug_id=caution.drug_id,
        fact="Caution",
        old_value=_caution_words(old)[:255],
        new_value=new_words[:255],
        reason=reason,
        changed_by=actor,
    )
