"""A store running today's main (77a33b9) upgrades to this code with every row
where it was.

The rooms restructure moved models between modules but kept every app label
and table name, so `manage.py migrate` should move and lose nothing. Here a
database of its own is migrated by 77a33b9's code and filled through that
code's services (tests/functional/upgrade/old_main_fill.py), every table is
read, this code's `manage.py migrate` runs on it, every table is read again,
and the two are compared; then this code's models read the rows back and must
see what the old models saw. The comparison is with whatever migrations this
code has when the test runs: new tables, columns and rows are allowed (and
printed); a table, column or row gone, or a value changed, fails.

Needs PostgreSQL (DATABASE_URL) and the git history holding 77a33b9; see
conftest.py for how a missing one skips, or fails when REQUIRE_SCALE_TESTS=1.
"""

import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings

from tests.functional.conftest import (
    BASE_DIR,
    NEEDS_POSTGRES,
    _database_url,
    missing,
    on_postgres,
)
from tests.functional.upgrade.snapshot import (
    Snapshot,
    Table,
    scratch_database,
    snapshot_take,
    snapshots_compare,
)

OLD_MAIN = "77a33b9"  # today's main: the last commit before the restructure
SCRIPTS = Path(__file__).resolve().parent / "upgrade"
STEP_TIMEOUT = 300  # seconds; the old migrate alone takes about 30
SHOWN_DIFFERENCES = 40

# Tables the fill must have written to; an empty one means the old code's
# services changed under the fill script and the comparison proves less.
FILLED_TABLES = (
    "order_order",
    "order_line",
    "order_paymentevent",
    "order_shippingevent",
    "payment_source",
    "payment_transaction",
    "basket_basket",
    "checkout_patientdetails",
    "checkout_prescription",
    "checkout_prescriptionrecord",
    "checkout_flagacknowledgement",
    "checkout_counsellingrecord",
    "checkout_orderevent",
    "checkout_orderpayment",
    "checkout_checkoutattempt",
    "checkout_stripeevent",
    "checkout_healthdataaccess",
    "refills_remindersubscription",
    "refills_sentreminder",
    "refills_transferrequest",
    "reviews_productreview",
    "pharmacy_outboundemail",
    "partner_stockrecord",
    "partner_historicalstockrecord",
    "catalogue_strength",
    "catalogue_historicalstrength",
    "compliance_statelicence",
    "compliance_policypage",
    "django_content_type",
    "auth_permission",
)


@dataclass(frozen=True, repr=False)  # a failure shows the message, not the rows
class Upgrade:
    before: Snapshot
    after: Snapshot
    old_reading: dict
    new_read: subprocess.CompletedProcess
    makemigrations: subprocess.CompletedProcess
    seconds: dict[str, float]


def _git(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["git", "-C", str(BASE_DIR), *args],
        capture_output=True,
        timeout=120,
        check=False,
    )


def old_main_files(dest: Path) -> Path:
    """77a33b9's files, from the history of the repository under test. An
    archive, not a worktree: nothing is registered in .git, so a killed run
    leaves nothing behind."""
    if shutil.which("git") is None:
        missing(f"git is not installed, so {OLD_MAIN}'s code can't be checked out")
    found = _git("cat-file", "-e", f"{OLD_MAIN}^{{commit}}")
    if found.returncode != 0:
        missing(
            f"commit {OLD_MAIN} (today's main before the restructure) is not in "
            f"the history of {BASE_DIR} ({found.stderr.decode().strip()}); a "
            "shallow clone needs `git fetch --unshallow`"
        )
    archive = _git("archive", "--format=tar", OLD_MAIN)
    if archive.returncode != 0:
        pytest.fail(f"git archive {OLD_MAIN}: {archive.stderr.decode()}", pytrace=False)
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        # The "data" filter (Python 3.11.4+) refuses links out of dest.
        safe = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}
        tar.extractall(dest, **safe)  # noqa: S202
    return dest


def _env(*, database: dict, files: Path, code: Path) -> dict[str, str]:
    """`make run`'s settings on the scratch database, with ``code`` first on
    the path: the venv has this repository installed in editable mode, and
    without it the old tree's scripts could import this tree's packages."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "STRIPE_", "REDIS_", "CELERY_", "EMAIL_"))
        and key not in {"DATABASE_URL", "PYTHONPATH", "MEDIA_ROOT", "PUBLIC_BASE_URL"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="pharmacy.settings.dev",
        DATABASE_URL=_database_url(database),
        PYTHONPATH=str(code),
        # Both codes read the prescription files from one place.
        MEDIA_ROOT=str(files / "media"),
        PRIVATE_MEDIA_ROOT=str(files / "private"),
        # The sites app's domain is set from this after every migrate.
        PUBLIC_BASE_URL="http://upgrade.pharmacy.test",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    )
    return env


def _run(args: list[str], *, code: Path, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args],
        cwd=code,
        env=env,
        capture_output=True,
        text=True,
        timeout=STEP_TIMEOUT,
        check=False,
    )


def _ran(result: subprocess.CompletedProcess, *, what: str) -> str:
    """The step's output; the step failing fails every test here."""
    if result.returncode != 0:
        pytest.fail(
            f"{what} failed ({result.returncode}):\n{result.stderr[-6000:]}",
            pytrace=False,
        )
    return result.stdout


def _last_json(stdout: str) -> dict:
    return json.loads(stdout.strip().splitlines()[-1])


def _under(path: str, tree: Path) -> bool:
    return tree.resolve() in Path(path).resolve().parents


@pytest.fixture(scope="module")
def upgrade(tmp_path_factory) -> Upgrade:
    """One database, built and filled by 77a33b9's code, then migrated by
    this code: snapshots and readings from either side of the migrate."""
    if not on_postgres():
        missing(NEEDS_POSTGRES)
    root = tmp_path_factory.mktemp("upgrade")
    old_tree = old_main_files(root / "old-main")
    seconds: dict[str, float] = {}
    start = time.monotonic()

    def lap(step: str) -> None:
        nonlocal start
        seconds[step] = round(time.monotonic() - start, 1)
        start = time.monotonic()

    migrate = ["manage.py", "migrate", "--noinput", "-v0"]
    fill = [str(SCRIPTS / "old_main_fill.py")]
    read = [str(SCRIPTS / "read_through_models.py")]
    makemigrations = ["manage.py", "makemigrations", "--check", "--dry-run"]
    with scratch_database(settings.DATABASES["default"], prefix="upgrade") as db:
        old = _env(database=db, files=root, code=old_tree)
        new = _env(database=db, files=root, code=BASE_DIR)
        _ran(_run(migrate, code=old_tree, env=old), what=f"{OLD_MAIN}'s migrate")
        lap("old migrate")
        filled = _last_json(_ran(_run(fill, code=old_tree, env=old), what="The fill"))
        wrong = {
            n: p for n, p in filled["imported_from"].items() if not _under(p, old_tree)
        }
        if wrong:
            pytest.fail(f"The fill ran this tree's code, not {OLD_MAIN}'s: {wrong}")
        old_read = _ran(_run(read, code=old_tree, env=old), what="The old read")
        before = snapshot_take(db)
        lap("old fill and read")
        _ran(_run(migrate, code=BASE_DIR, env=new), what="This code's migrate")
        after = snapshot_take(db)
        lap("new migrate")
        # Each judged by its own test, so a failure here still shows the rows.
        new_read = _run(read, code=BASE_DIR, env=new)
        check = _run(makemigrations, code=BASE_DIR, env=new)
        lap("new read and makemigrations")
    return Upgrade(before, after, _last_json(old_read), new_read, check, seconds)


def test_upgrade_from_todays_main_keeps_every_table_row_and_value(upgrade):
    empty = [t for t in FILLED_TABLES if not upgrade.before.tables[t].rows]
    assert not empty, f"The fill left these tables empty: {empty}"
    ours = {
        row["app"] for row in upgrade.before.tables["django_migrations"].rows.values()
    }
    assert {"checkout", "refills", "pharmacy", "compliance"} <= ours

    comparison = snapshots_compare(
        _without_revoked_grants(upgrade.before, upgrade.after), upgrade.after
    )
    problems = comparison.problems

    print(
        f"Upgraded {len(upgrade.before.tables)} tables, "
        f"{upgrade.before.row_count()} rows; seconds: {upgrade.seconds}"
    )
    print(
        "Added by this code's migrations:",
        *comparison.additions or ["nothing"],
        sep="\n  ",
    )
    assert not problems, (
        f"Migrating {OLD_MAIN}'s database with this code lost or changed data:\n  "
        + "\n  ".join(problems)
    )


def _without_revoked_grants(before: Snapshot, after: Snapshot) -> Snapshot:
    """``before`` less the role groups' permissions that this code's role
    table no longer grants: every migrate sets the groups to the table
    (pharmacy/staff/groups.py), so those rows go on purpose. Any other
    group permission gone is still a problem."""
    from pharmacy.staff.roles import ROLE_PERMISSIONS

    tables = before.tables
    groups = {r["id"]: r["name"] for r in tables["auth_group"].rows.values()}
    types = tables["django_content_type"].rows.values()
    apps = {r["id"]: r["app_label"] for r in types}
    perms = {
        r["id"]: (apps[r["content_type_id"]], r["codename"])
        for r in tables["auth_permission"].rows.values()
    }
    grants = tables["auth_group_permissions"]
    kept_after = after.tables["auth_group_permissions"].rows

    def revoked(key, row) -> bool:
        role = groups.get(row["group_id"])
        return (
            key not in kept_after
            and role in ROLE_PERMISSIONS
            and perms[row["permission_id"]] not in ROLE_PERMISSIONS[role]
        )

    rows = {k: r for k, r in grants.rows.items() if not revoked(k, r)}
    return Snapshot(
        tables={
            **tables,
            "auth_group_permissions": Table(grants.columns, grants.key, rows),
        },
        sequences=before.sequences,
    )


def _differences(old, new, path: str = "") -> list[str]:
    if isinstance(old, dict) and isinstance(new, dict):
        found = [f"{path}.{key}: gone" for key in old if key not in new]
        found += [f"{path}.{key}: new" for key in new if key not in old]
        for key in (key for key in old if key in new):
            found += _differences(old[key], new[key], f"{path}.{key}")
        return found
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        return [
            line
            for i, (a, b) in enumerate(zip(old, new, strict=True))
            for line in _differences(a, b, f"{path}[{i}]")
        ]
    return [] if old == new else [f"{path}: {old!r} is now {new!r}"]


def test_this_codes_models_read_the_old_rows_as_the_old_models_did(upgrade):
    new_read = _ran(upgrade.new_read, what="Reading the rows with this code")
    old, new = upgrade.old_reading, _last_json(new_read)
    assert _under(new["imported_from"], BASE_DIR), new["imported_from"]
    print("Models read through:", json.dumps(new["classes"], indent=1))
    assert len(old["rows"]["orders"]) >= 10, "the fill placed too few orders"

    differences = _differences(old["rows"], new["rows"])

    assert not differences, (
        "This code's models read the upgraded rows differently:\n  "
        + "\n  ".join(differences[:SHOWN_DIFFERENCES])
    )
    lost = set(new["content_types_without_model"]) - set(
        old["content_types_without_model"]
    )
    assert not lost, f"Models with rows and content types that this code lacks: {lost}"


def test_this_codes_models_need_no_migration_it_lacks(upgrade):
    result = upgrade.makemigrations

    problem = result.returncode != 0

    assert not problem, (
        "makemigrations --check found model changes without a migration:\n"
        + result.stdout[-4000:]
        + result.stderr[-4000:]
    )
