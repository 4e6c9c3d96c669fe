"""The README lists exactly the demo accounts `make run` prints (one per role)."""

import re
from pathlib import Path

from django.conf import settings

from pharmacy.staff.demo_accounts import DEMO_ACCOUNTS

README = Path(settings.BASE_DIR) / "README.md"


def _listed_accounts() -> list[str]:
    text = README.read_text("utf-8")
    section = text.split("## Two commands", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^- `([a-z-]+)`:", section, flags=re.MULTILINE)


def test_the_readme_lists_every_demo_account_once():
    listed = _listed_accounts()

    assert sorted(listed) == sorted(username for username, _ in DEMO_ACCOUNTS)
