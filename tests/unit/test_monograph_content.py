"""What the demo monograph (fixtures/monograph/baclofen.json) must and must not say.

The facts come from shared/seed/FACTS.md; the wording must be our own, not the
seed product page's.
"""

import json
import os
import re
from pathlib import Path

import pytest
from django.conf import settings

MONOGRAPH = Path(settings.BASE_DIR) / "fixtures" / "monograph" / "baclofen.json"
# CI lays shared/ beside the clone; SHARED_DIR points elsewhere (a git worktree).
SHARED_DIR = Path(
    os.environ.get("SHARED_DIR") or Path(settings.BASE_DIR).parent / "shared"
)
SEED_PAGE = SHARED_DIR / "seed" / "baclofen-product-page.txt"
RUN = 8  # words in a row that count as copied


@pytest.fixture(scope="module")
def sections() -> dict[str, dict]:
    return {s["anchor"]: s for s in json.loads(MONOGRAPH.read_text("utf-8"))}


@pytest.fixture(scope="module")
def text(sections) -> str:
    """Every title and body, lower-cased, whitespace collapsed."""
    joined = "\n".join(f"{s['title']}\n{s['body']}" for s in sections.values())
    return " ".join(joined.lower().split())


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+(?:['’][a-z]+)?", text.lower())


def _runs(words: list[str], n: int) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def test_no_pregnancy_letter_category(text):
    assert "category c" not in text
    assert not re.search(r"pregnancy category [a-dx]\b", text)


def test_alcohol_dependence_is_not_a_use(sections, text):
    for phrase in (
        "alcoholism",
        "alcohol dependence",
        "alcohol use disorder",
        "alcohol addiction",
        "alcohol withdrawal",
    ):
        assert phrase not in text, phrase
    assert "alcohol" not in sections["indications"]["body"].lower()


def test_says_prescription_only(sections):
    assert "prescription-only medicine" in sections["overview"]["body"].lower()


def test_gives_the_80_mg_daily_maximum(sections):
    dosage = " ".join(sections["dosage"]["body"].lower().split())
    assert re.search(r"maximum: 80 mg a day", dosage)
    assert "20 mg four times a day" in dosage


def test_gives_the_45_day_supply_example(sections):
    dosage = " ".join(sections["dosage"]["body"].lower().split())
    assert "360 tablets of 10 mg at 80 mg a day" in dosage
    assert "last 45 days" in dosage


def test_warns_to_taper_and_never_stop_suddenly(text):
    assert re.search(r"never (be )?stop(ped)? suddenly|stopping \w+ abruptly", text)
    assert re.search(r"\btaper|lower the dose gradually|reduced? gradually", text)
    assert re.search(r"hallucinations", text) and re.search(r"seizures", text)


def test_boxed_warning_is_for_intrathecal_baclofen_only(text):
    assert "boxed warning" in text
    assert re.search(r"boxed warning[^.]*applies to intrathecal baclofen only", text)


def test_fourteen_sections_with_unique_anchors(sections):
    raw = json.loads(MONOGRAPH.read_text("utf-8"))
    assert len(raw) == 14
    assert len(sections) == 14


def test_no_eight_word_run_copied_from_the_seed_page(text):
    if not SEED_PAGE.is_file():
        missing = f"seed page not found beside the repository: {SEED_PAGE}"
        if os.environ.get("REQUIRE_SEED") == "1":  # CI: never skip this check
            pytest.fail(f"REQUIRE_SEED=1 but the {missing}", pytrace=False)
        pytest.skip(missing)
    seed = SEED_PAGE.read_text("utf-8")

    copied = _runs(_words(text), RUN) & _runs(_words(seed), RUN)

    assert not copied, [" ".join(run) for run in sorted(copied)[:5]]


def test_copy_check_catches_a_pasted_sentence():
    """The check above would see a sentence lifted with other punctuation."""
    seed = "It is primarily used in the treatment of muscle spasticity, a condition."
    pasted = "We note: it is PRIMARILY used in the treatment of muscle spasticity!"

    assert _runs(_words(pasted), RUN) & _runs(_words(seed), RUN)
