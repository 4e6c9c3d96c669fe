"""Keep the test database between local runs, but never a stale one.

pytest-django's --reuse-db keeps the database and does not migrate it again, so
a new or edited migration would go unseen. The schema's fingerprint (every
migration file, the installed apps and the locked dependencies, whose apps
bring migrations too) is stored beside the database when it is created; when
it no longer matches, the run creates the database again (--create-db).

Transactional tests (the browser tests, which run last) empty every table when
they finish, so a kept database would lose the rows migrations put there (the
United States, the order email types). The rows a fresh database holds are
stored with the fingerprint and put back at the start of each reusing run.
"""

import functools
import hashlib
import json
from pathlib import Path

from django.conf import settings

STAMP_NAME = ".test-db-schema.json"
_SKIP_DIRS = {".venv", ".git", "node_modules", "__pycache__"}


def schema_fingerprint(base_dir: Path) -> str:
    digest = hashlib.sha256()
    for migration in sorted(_migration_files(base_dir)):
        digest.update(str(migration.relative_to(base_dir)).encode())
        digest.update(migration.read_bytes())
    lock = base_dir / "requirements" / "lock.txt"
    if lock.is_file():
        digest.update(lock.read_bytes())
    digest.update("\n".join(settings.INSTALLED_APPS).encode())
    return digest.hexdigest()


def _migration_files(base_dir: Path):
    for folder in base_dir.iterdir():
        if folder.is_dir() and folder.name not in _SKIP_DIRS:
            yield from (
                p
                for p in folder.rglob("migrations/*.py")
                if not _SKIP_DIRS & set(p.relative_to(base_dir).parts)
            )


@functools.cache
def _database_identity() -> str:
    # First asked in pytest_configure, before set-up renames NAME to the test
    # database's name; cached so the answer stays the same afterwards.
    db = settings.DATABASES["default"]
    test_name = (db.get("TEST") or {}).get("NAME") or f"test_{db['NAME']}"
    return f"{db['ENGINE']} {db.get('HOST', '')}:{db.get('PORT', '')} {test_name}"


def _stamp_path(base_dir: Path) -> Path:
    return base_dir / STAMP_NAME


def _read_stamps(base_dir: Path) -> dict[str, str]:
    try:
        return json.loads(_stamp_path(base_dir).read_text("utf-8"))
    except (OSError, ValueError):
        return {}


def _stamp(base_dir: Path) -> dict:
    stamp = _read_stamps(base_dir).get(_database_identity())
    return stamp if isinstance(stamp, dict) else {}


def reused_database_is_current(base_dir: Path) -> bool:
    stamp = _stamp(base_dir)
    return stamp.get("schema") == schema_fingerprint(base_dir) and "contents" in stamp


def remember_schema(base_dir: Path, *, contents: str = "") -> None:
    """Note the schema the database was made from, and the rows it started with."""
    stamps = _read_stamps(base_dir)
    stamps[_database_identity()] = {
        "schema": schema_fingerprint(base_dir),
        "contents": contents,
    }
    _stamp_path(base_dir).write_text(json.dumps(stamps), "utf-8")


def fresh_contents(base_dir: Path) -> str:
    return _stamp(base_dir).get("contents", "")


def contents_intact(contents: str) -> bool:
    """Every model the fresh database had rows for still has as many. After a
    transactional test's flush the migrations' rows are gone (0 countries)."""
    from collections import Counter

    from django.apps import apps

    wanted = Counter(row["model"] for row in json.loads(contents or "[]"))
    return all(
        apps.get_model(label)._base_manager.count() == count
        for label, count in wanted.items()
    )


def contents_restore(contents: str) -> None:
    """Empty the database and put the stored rows back, then move each id
    sequence past them (PostgreSQL; SQLite needs nothing) as loaddata does."""
    from django.apps import apps
    from django.core.management import call_command
    from django.core.management.color import no_style
    from django.db import connection

    pending_checks = connection.vendor == "postgresql" and connection.in_atomic_block
    if pending_checks:
        # PostgreSQL refuses to TRUNCATE a table with deferred foreign-key
        # checks still pending in this transaction: run them now, then defer
        # again so the rows can be put back in any order.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, inhibit_post_migrate=True)
    if pending_checks:
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    connection.creation.deserialize_db_from_string(contents)
    statements = connection.ops.sequence_reset_sql(no_style(), apps.get_models())
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
