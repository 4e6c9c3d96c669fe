"""Each drug's interaction and caution lists, as data.

The pharmacist's clinical flags (checkout/dispensing/clinical.py) match these
words against the patient's current medicines and medical conditions. The
lists are seeded by a data migration for drugs already loaded and by the
catalog loader for new ones; staff can add words in the admin.
"""

from typing import NamedTuple


class CautionSeed(NamedTuple):
    kind: str  # "interaction" (a medicine) or "condition"
    category: str
    terms: tuple[str, ...]
    advice: str


# From the US label and national labels (see /work/shared/seed/FACTS.md).
CAUTIONS: dict[str, tuple[CautionSeed, ...]] = {
    "baclofen": (
        CautionSeed(
            "interaction",
            "Opioids",
            (
                "opioid",
                "oxycodone",
                "morphine",
                "hydrocodone",
                "hydromorphone",
                "tramadol",
                "codeine",
                "fentanyl",
                "methadone",
                "buprenorphine",
                "tapentadol",
                "oxymorphone",
            ),
            "Added sedation and breathing depression.",
        ),
        CautionSeed(
            "interaction",
            "Benzodiazepines",
            (
                "benzodiazepine",
                "diazepam",
                "lorazepam",
                "alprazolam",
                "clonazepam",
                "temazepam",
                "chlordiazepoxide",
                "midazolam",
                "xanax",
                "valium",
                "ativan",
                "klonopin",
            ),
            "Added sedation and breathing depression.",
        ),
        CautionSeed(
            "interaction",
            "CNS depressants",
            (
                "sedative",
                "sleeping pill",
                "zolpidem",
                "zopiclone",
                "eszopiclone",
                "gabapentin",
                "pregabalin",
                "tizanidine",
                "cyclobenzaprine",
                "carisoprodol",
                "diphenhydramine",
                "promethazine",
                "phenobarbital",
                "quetiapine",
            ),
            "Added drowsiness; lower doses may be needed.",
        ),
        CautionSeed(
            "interaction",
            "Alcohol",
            ("alcohol",),
            "Added drowsiness and sedation.",
        ),
        CautionSeed(
            "interaction",
            "Tricyclic antidepressants",
            (
                "tricyclic",
                "amitriptyline",
                "nortriptyline",
                "imipramine",
                "doxepin",
                "clomipramine",
                "desipramine",
            ),
            "May increase baclofen's effect, with muscle weakness.",
        ),
        CautionSeed(
            "interaction",
            "MAO inhibitors",
            (
                "maoi",
                "phenelzine",
                "tranylcypromine",
                "isocarboxazid",
                "selegiline",
                "moclobemide",
            ),
            "Added CNS depression.",
        ),
        CautionSeed(
            "interaction",
            "Lithium",
            ("lithium",),
            "Worsened hyperkinetic symptoms reported.",
        ),
        CautionSeed(
            "interaction",
            "Antihypertensives",
            (
                "antihypertensive",
                "lisinopril",
                "enalapril",
                "ramipril",
                "amlodipine",
                "losartan",
                "valsartan",
                "metoprolol",
                "atenolol",
                "hydrochlorothiazide",
                "clonidine",
            ),
            "Blood pressure may fall further.",
        ),
        CautionSeed(
            "condition",
            "Kidney disease",
            (
                "kidney",
                "renal",
                "dialysis",
                "ckd",
                "nephropathy",
            ),
            "Excreted by the kidneys: reduce the dose; avoid in severe impairment "
            "or dialysis unless a specialist decides otherwise.",
        ),
        CautionSeed(
            "condition",
            "Alcohol use",
            ("alcohol", "alcoholism"),
            "Added drowsiness and sedation.",
        ),
        CautionSeed(
            "condition",
            "Epilepsy or seizures",
            ("epilepsy", "seizure", "convulsion"),
            "May lower the seizure threshold; withdrawal can cause seizures.",
        ),
        CautionSeed(
            "condition",
            "Psychosis or confusion",
            ("psychosis", "psychotic", "schizophrenia", "confusion", "bipolar"),
            "May worsen psychotic disorders and confusional states.",
        ),
        CautionSeed(
            "condition",
            "Stroke",
            ("stroke", "cerebrovascular"),
            "Less benefit and poorer tolerance after a stroke.",
        ),
        CautionSeed(
            "condition",
            "Breathing problems",
            ("copd", "sleep apnea", "sleep apnoea", "respiratory"),
            "Risk of breathing depression.",
        ),
        CautionSeed(
            "condition",
            "Pregnancy or breastfeeding",
            ("pregnant", "pregnancy", "breastfeeding", "breast-feeding"),
            "No adequate human studies; passes into breast milk; newborns can "
            "show withdrawal signs.",
        ),
    ),
}


def cautions_ensure(*, drug, caution_model) -> int:
    """Add the seeded words a drug lacks; returns how many were added.

    ``caution_model`` is passed in so a data migration can use its historical
    model. Words staff added or removed since are left alone only in that no
    existing row is changed.
    """
    seeds = CAUTIONS.get(drug.generic_name.strip().lower(), ())
    existing = set(caution_model.objects.filter(drug=drug).values_list("kind", "term"))
    rows = [
        caution_model(
            drug=drug,
            kind=seed.kind,
            category=seed.category,
            term=term,
            advice=seed.advice,
        )
        for seed in seeds
        for term in seed.terms
        if (seed.kind, term) not in existing
    ]
    caution_model.objects.bulk_create(rows)
    return len(rows)
