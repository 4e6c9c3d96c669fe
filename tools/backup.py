"""Back up a running store, and restore it (make backup / make restore).

    .venv/bin/python tools/backup.py backup [FOLDER]     default backups/<UTC time>/
    .venv/bin/python tools/backup.py restore FOLDER      into an EMPTY database

A backup is one folder holding everything a restore needs besides the code
and the secrets:

- database.dump: pg_dump's custom format of the whole database (orders,
  health data, the prescription files themselves: they are rows of
  checkout_storedfile), taken in one snapshot while the store keeps serving;
  with SQLite, database.sqlite3, copied by SQLite's online backup;
- media.tar: the public product images (MEDIA_ROOT);
- manifest.json: when, from which commit, the newest migration of each app,
  and the size and SHA-256 of each file, checked again before a restore.

Not in it, on purpose: SECRET_KEY, the Stripe and email secrets (kept by
whoever keeps the server's environment) and Redis (a cache and a queue
that the database can rebuild; see docs/operations.md).
"""

import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pharmacy.settings.dev")
django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.migrations.recorder import MigrationRecorder  # noqa: E402

PG_BIN = os.environ.get("PG_BIN", "")


def _pg(program: str) -> str:
    return str(Path(PG_BIN) / program) if PG_BIN else program


def _database() -> dict:
    return settings.DATABASES["default"]


def _is_postgres() -> bool:
    return _database()["ENGINE"] == "django.db.backends.postgresql"


def _pg_env() -> dict[str, str]:
    db = _database()
    return {
        **os.environ,
        "PGHOST": str(db.get("HOST") or "127.0.0.1"),
        "PGPORT": str(db.get("PORT") or 5432),
        "PGUSER": str(db.get("USER") or ""),
        "PGPASSWORD": str(db.get("PASSWORD") or ""),
        "PGDATABASE": str(db["NAME"]),
    }


def _digest(path: Path) -> str:
    sha = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            sha.update(block)
    return sha.hexdigest()


def _commit() -> str:
    result = subprocess.run(  # noqa: S603
        ["git", "rev-parse", "HEAD"],  # noqa: S607
        cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    return result.stdout.strip() or "unknown"


def backup(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=False)
    os.chmod(folder, 0o700)  # health data: the owner only
    if _is_postgres():
        subprocess.run(  # noqa: S603
            [_pg("pg_dump"), "--format=custom", "--no-owner", "--file",
             str(folder / "database.dump")],
            env=_pg_env(), check=True,
        )  # fmt: skip
    else:
        source = sqlite3.connect(_database()["NAME"])
        target = sqlite3.connect(folder / "database.sqlite3")
        with target:
            source.backup(target)
        source.close()
        target.close()
    media = Path(settings.MEDIA_ROOT)
    with tarfile.open(folder / "media.tar", "w") as tar:
        if media.is_dir():
            tar.add(media, arcname=".")
    migrations: dict[str, str] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        migrations[app] = max(migrations.get(app, ""), name)
    files = {
        path.name: {"bytes": path.stat().st_size, "sha256": _digest(path)}
        for path in sorted(folder.iterdir())
    }
    manifest = {
        "taken_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "commit": _commit(),
        "database": "postgresql" if _is_postgres() else "sqlite",
        "newest_migrations": dict(sorted(migrations.items())),
        "files": files,
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return folder


def _checked(folder: Path) -> dict:
    manifest = json.loads((folder / "manifest.json").read_text())
    for name, expected in manifest["files"].items():
        if _digest(folder / name) != expected["sha256"]:
            raise SystemExit(f"{name} does not match its manifest: not restoring")
    return manifest


def restore(folder: Path) -> None:
    manifest = _checked(folder)
    if manifest["database"] == "postgresql":
        if not _is_postgres():
            raise SystemExit("This backup is of PostgreSQL; set DATABASE_URL to one.")
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM information_schema.tables "
                "WHERE table_schema = 'public'"
            )
            if cursor.fetchone()[0]:
                raise SystemExit(
                    f"{_database()['NAME']} is not empty: restore into a new database."
                )
        connection.close()
        subprocess.run(  # noqa: S603
            [_pg("pg_restore"), "--no-owner", "--exit-on-error", "--single-transaction",
             "--dbname", _database()["NAME"], str(folder / "database.dump")],
            env=_pg_env(), check=True,
        )  # fmt: skip
    else:
        target = Path(_database()["NAME"])
        if target.exists() and target.stat().st_size:
            raise SystemExit(f"{target} exists: move it aside, then restore.")
        shutil.copyfile(folder / "database.sqlite3", target)
    media = Path(settings.MEDIA_ROOT)
    media.mkdir(parents=True, exist_ok=True)
    with tarfile.open(folder / "media.tar") as tar:
        tar.extractall(media, filter="data")


def main(argv: list[str]) -> int:
    if len(argv) < 2 or argv[1] not in {"backup", "restore"}:
        print(__doc__, file=sys.stderr)
        return 2
    if argv[1] == "backup":
        stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
        folder = Path(argv[2]) if len(argv) > 2 else ROOT / "backups" / stamp
        print(f"Backed up to {backup(folder)}")
        return 0
    if len(argv) < 3:
        print("restore needs the backup's folder", file=sys.stderr)
        return 2
    restore(Path(argv[2]))
    print(
        f"Restored {argv[2]}; now run `manage.py migrate` for this code's migrations."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
