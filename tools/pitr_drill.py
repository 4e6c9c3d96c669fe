"""The point-in-time restore drill: prove that a base backup plus archived WAL
brings the store back to a chosen moment, with exactly the rows of that moment.

    .venv/bin/python tools/pitr_drill.py        (make pitr-drill; run by .ci/run)

It uses only what PostgreSQL ships (initdb, pg_basebackup, archive_command,
restore_command, recovery_target_time) on a private cluster of its own: a
temporary folder, port 54329, never the server on 5432. Run as root, the
PostgreSQL programs run as the ``postgres`` user (they refuse root).

1. initdb; WAL archiving on (archive_command copies each segment to a folder).
2. pg_basebackup, before anything is in the store.
3. The store's own code migrates, loads the catalogue, places three orders
   (each with its prescription file, stored in the database) and a pharmacist
   approves one. The drill reads every order, status and file: "then".
4. It notes the server's clock, then places two more orders and approves a
   second one of the first three: what the restore must not bring back.
5. The server stops (the machine is lost). The base backup is copied to a new
   data folder, told to replay the archive up to the noted time, and started.
6. The store's code reads the restored database: it must equal "then".

Prints each step's seconds and the restore's; exits 1 if any row differs.
"""

import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
PORT = int(os.environ.get("PITR_DRILL_PORT", "54329"))
DATABASE = "pharmacy_drill"
PG_USER = "postgres"


class Drill:
    def __init__(self, folder: Path):
        self.folder = folder
        self.archive = folder / "wal-archive"
        self.base = folder / "base-backup"
        self.primary = folder / "primary"
        self.restored = folder / "restored"
        self.timings: dict[str, float] = {}
        self._lap = time.monotonic()

    def lap(self, step: str) -> None:
        now = time.monotonic()
        self.timings[step] = round(now - self._lap, 2)
        self._lap = now
        print(f"  {step}: {self.timings[step]:.2f} s", flush=True)

    # -- PostgreSQL's programs, as the postgres user ------------------------------

    def pg(self, program: str, *args: str, check: bool = True) -> str:
        command = [str(PG_BIN / program), *args]
        if os.geteuid() == 0:
            command = ["runuser", "-u", PG_USER, "--", *command]
        result = subprocess.run(  # noqa: S603
            command, capture_output=True, text=True, cwd=self.folder, check=False
        )
        if check and result.returncode != 0:
            raise SystemExit(f"{program} failed:\n{result.stdout}\n{result.stderr}")
        return result.stdout

    def sql(self, query: str) -> str:
        return self.pg(
            "psql", "-h", "127.0.0.1", "-p", str(PORT), "-U", PG_USER, "-d", DATABASE,
            "-XAtqc", query,
        ).strip()  # fmt: skip

    def start(self, data: Path) -> None:
        self.pg("pg_ctl", "-D", str(data), "-l", str(data / "server.log"), "-w",
                "-t", "60", "start")  # fmt: skip

    def stop(self, data: Path) -> None:
        self.pg("pg_ctl", "-D", str(data), "-m", "fast", "-w", "stop", check=False)

    def configure(self, data: Path, **settings: str) -> None:
        lines = [f"{key} = '{value}'" for key, value in settings.items()]
        with (data / "postgresql.auto.conf").open("a") as conf:
            conf.write("\n".join(lines) + "\n")

    # -- the drill ------------------------------------------------------------------

    def primary_start(self) -> None:
        self.pg("initdb", "-D", str(self.primary), "-U", PG_USER, "-A", "trust",
                "--no-sync", "--no-instructions")  # fmt: skip
        self.configure(
            self.primary,
            port=str(PORT),
            listen_addresses="127.0.0.1",
            unix_socket_directories=str(self.folder),
            wal_level="replica",
            archive_mode="on",
            # Never overwrite a segment already archived.
            archive_command=f"test ! -f {self.archive}/%f && cp %p {self.archive}/%f",
            # A drill on a shared machine: durability is not what it tests.
            fsync="off",
            synchronous_commit="off",
            full_page_writes="on",
        )
        self.start(self.primary)
        self.pg("createdb", "-h", "127.0.0.1", "-p", str(PORT), "-U", PG_USER, DATABASE)

    def base_backup(self) -> None:
        self.pg("pg_basebackup", "-h", "127.0.0.1", "-p", str(PORT), "-U", PG_USER,
                "-D", str(self.base), "-c", "fast", "--no-sync")  # fmt: skip

    def wal_archived(self) -> None:
        """Close the current segment and wait for archive_command to copy it."""
        segment = self.sql("SELECT pg_walfile_name(pg_switch_wal())")
        for _ in range(300):
            if (self.archive / segment).exists():
                return
            time.sleep(0.1)
        raise SystemExit(f"WAL segment {segment} was never archived")

    def restore(self, target_time: str) -> None:
        shutil.copytree(self.base, self.restored, symlinks=True)
        owned_by_postgres(self.restored)
        self.configure(
            self.restored,
            archive_mode="off",
            restore_command=f"cp {self.archive}/%f %p",
            recovery_target_time=target_time,
            recovery_target_inclusive="true",
            recovery_target_action="promote",
        )
        (self.restored / "recovery.signal").touch()
        self.start(self.restored)
        for _ in range(600):
            if self.sql("SELECT pg_is_in_recovery()") == "f":
                return
            time.sleep(0.1)
        raise SystemExit("The restored server never left recovery")


def owned_by_postgres(path: Path) -> None:
    if os.geteuid() != 0:
        return
    for folder, _, files in os.walk(path):
        shutil.chown(folder, PG_USER)
        for name in files:
            shutil.chown(Path(folder) / name, PG_USER)


def store(action: str) -> dict:
    """Run the store's own code against the drill's database (tools/pitr_store.py)."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "pharmacy.settings.dev",
        "DATABASE_URL": f"postgres://{PG_USER}@127.0.0.1:{PORT}/{DATABASE}",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "LOG_LEVEL": "ERROR",
        "DEBUG": "0",
    }
    for name in ("REDIS_URL", "CELERY_BROKER_URL", "STRIPE_SECRET_KEY"):
        env.pop(name, None)
    result = subprocess.run(  # noqa: S603
        [sys.executable, str(ROOT / "tools" / "pitr_store.py"), action],
        capture_output=True, text=True, cwd=ROOT, env=env, check=False,
    )  # fmt: skip
    if result.returncode != 0:
        raise SystemExit(f"pitr_store.py {action} failed:\n{result.stderr[-4000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> int:
    started = time.monotonic()
    folder = Path(tempfile.mkdtemp(prefix="pitr-drill-"))
    drill = Drill(folder)
    drill.archive.mkdir()
    owned_by_postgres(folder)
    print(f"Point-in-time restore drill in {folder} (port {PORT})", flush=True)
    try:
        drill.primary_start()
        drill.lap("initdb and start with WAL archiving")
        drill.base_backup()
        drill.lap("base backup")
        store("fill")
        then = store("read")
        drill.lap("migrate, load the catalogue, place 3 orders, approve 1")
        # The server's own clock, after those commits: nothing before it is lost.
        target = drill.sql("SELECT clock_timestamp()")
        time.sleep(0.2)
        later = store("more")
        drill.wal_archived()
        drill.lap("place 2 more orders, approve a second, archive the WAL")
        drill.stop(drill.primary)
        drill.lap("stop the server (the machine is lost)")
        drill.restore(target)
        drill.lap("restore: copy the base backup, replay WAL to the noted time")
        restored_at = drill.timings[next(reversed(drill.timings))]
        now = store("read")
        drill.lap("read the restored store")
    finally:
        drill.stop(drill.restored) if (drill.restored / "PG_VERSION").exists() else None
        drill.stop(drill.primary)
        shutil.rmtree(folder, ignore_errors=True)
    problems = []
    if now != then:
        problems.append(f"restored {json.dumps(now)}\n  expected {json.dumps(then)}")
    gone = set(later["placed"]) & set(now["orders"])
    if gone:
        problems.append(f"orders placed after the noted time came back: {sorted(gone)}")
    total = round(time.monotonic() - started, 1)
    print(
        f"Restored to {target}: {len(now['orders'])} orders "
        f"({now['statuses']}), {now['files']} prescription files; "
        f"{len(later['placed'])} later orders absent. "
        f"Restore took {restored_at:.2f} s; the drill {total} s.",
        flush=True,
    )
    for problem in problems:
        print("DRILL FAILED:", problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        sys.exit(main())
