"""`make run`'s own set-up (manage.py setup_demo: migrate, load the catalog,
create the demo staff) on an empty database, twice: the second run changes
nothing and prints no new password."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from pharmacy.core.setup_steps import SETUP_STEPS
from pharmacy.staff.demo_accounts import DEMO_ACCOUNTS

PASSWORD = re.compile(r"password '([^']+)'")


@pytest.fixture(scope="module")
def demo_env(tmp_path_factory) -> dict[str, str]:
    """What `make run` would have, pointed at an empty SQLite file and fresh
    media folders."""
    tmp = tmp_path_factory.mktemp("setup-demo")
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL",)}
    env.update(
        DJANGO_SETTINGS_MODULE="pharmacy.settings.dev",
        DATABASE_URL=f"sqlite:///{tmp / 'db.sqlite3'}",
        MEDIA_ROOT=str(tmp / "media"),
        PRIVATE_MEDIA_ROOT=str(tmp / "private"),
        PUBLIC_BASE_URL="http://127.0.0.1:8123",
    )
    return env


def manage(env, *args) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def snapshot(env) -> tuple[dict, list[str]]:
    """Every row the app stores (rows per model, and the rows themselves) and
    every media file."""
    # Oscar's category hierarchy is a PostgreSQL materialized view: no rows of its own.
    dump = json.loads(
        manage(env, "dumpdata", "-e", "catalogue.ProductCategoryHierarchy")
    )
    rows: dict[str, list] = {}
    for row in dump:
        rows.setdefault(row["model"], []).append(row)
    media = Path(env["MEDIA_ROOT"])
    files = sorted(str(p.relative_to(media)) for p in media.rglob("*"))
    return rows, files


def test_running_the_setup_twice_changes_nothing_the_second_time(demo_env):
    first = manage(demo_env, "setup_demo")

    for step in SETUP_STEPS:  # a line per step, so a slow step never looks stuck
        assert f"==> {step.says}" in first
    printed = dict(re.findall(r"username '([^']+)', password '([^']+)'", first))
    assert set(printed) == {username for username, _ in DEMO_ACCOUNTS}
    assert "Staff sign in at http://127.0.0.1:8123/admin/" in first
    assert (
        "Metrics for Prometheus: http://127.0.0.1:8123/metrics with the header "
        "'Authorization: Bearer demo-metrics-token'"
    ) in first
    before = snapshot(demo_env)
    assert before[0]["catalogue.product"]  # the catalog is there
    demo_lots_are_two_per_pack_one_expiring_soon(before[0])

    second = manage(demo_env, "setup_demo")

    after = snapshot(demo_env)
    assert {m: len(r) for m, r in after[0].items()} == {
        m: len(r) for m, r in before[0].items()
    }
    assert after == before
    assert not PASSWORD.search(second)
    for password in printed.values():
        assert password not in second
    assert "Catalog already loaded; nothing changed." in second
    for username, _ in DEMO_ACCOUNTS:
        assert f"account {username!r} already exists" in second


def demo_lots_are_two_per_pack_one_expiring_soon(rows: dict) -> None:
    import datetime

    packs = {
        r["pk"] for r in rows["catalogue.product"] if r["fields"]["parent"] is not None
    }
    lots: dict[int, list[datetime.date]] = {}
    for lot in rows["checkout.lot"]:
        expiry = datetime.date.fromisoformat(lot["fields"]["expires_on"])
        lots.setdefault(lot["fields"]["product"], []).append(expiry)
    assert set(lots) == packs
    soon = datetime.date.today() + datetime.timedelta(days=90)
    for expiries in lots.values():
        assert len(expiries) == 2
        assert min(expiries) < soon < max(expiries)
