"""`make backup` (tools/backup.py): one folder holds the database with the
prescription files in it, the product images, and a manifest a restore
checks before it touches anything."""

import json
import sqlite3
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection

from checkout.dispensing.storage import prescription_storage
from tools import backup as backup_tool

RX = b"\x89PNG a prescription kept in the database"


@pytest.fixture
def stored_prescription(transactional_db, tmp_path, settings):
    # Committed (a transactional test), so a backup taken beside it sees it.
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "products").mkdir(parents=True)
    (settings.MEDIA_ROOT / "products" / "tablet.webp").write_bytes(b"an image")
    return prescription_storage().save("prescriptions/backup.png", ContentFile(RX))


def test_a_backup_holds_the_prescription_files_and_the_product_images(
    stored_prescription, tmp_path
):
    folder = backup_tool.backup(tmp_path / "backup")

    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["newest_migrations"]["checkout"] >= "0011"
    if connection.vendor == "postgresql":
        # The dump's data as SQL: the file's bytes are in it, in bytea's hex.
        sql = subprocess.run(
            ["pg_restore", "--data-only", "--table=checkout_storedfile", "-f", "-",
             str(folder / "database.dump")],
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
        assert RX.hex() in sql
    else:
        copy = sqlite3.connect(folder / "database.sqlite3")
        (content,) = copy.execute(
            "SELECT content FROM checkout_storedfile WHERE name = ?",
            (stored_prescription,),
        ).fetchone()
        copy.close()
        assert content == RX
    subprocess.run(["tar", "-xf", str(folder / "media.tar"), "-C", str(tmp_path)])
    assert (tmp_path / "products" / "tablet.webp").read_bytes() == b"an image"
    assert oct(folder.stat().st_mode & 0o777) == "0o700"


def test_a_restore_refuses_a_backup_that_does_not_match_its_manifest(
    stored_prescription, tmp_path
):
    folder = backup_tool.backup(tmp_path / "backup")
    with (folder / "media.tar").open("ab") as tar:
        tar.write(b"damaged")

    with pytest.raises(SystemExit, match="media.tar does not match its manifest"):
        backup_tool.restore(folder)


def test_the_command_without_arguments_explains_itself():
    result = subprocess.run(
        [sys.executable, "tools/backup.py"],
        cwd=settings.BASE_DIR, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 2
    assert "make backup" in result.stderr
