"""Moving prescription files kept on disk (the old PRIVATE_MEDIA_ROOT) into
the database storage, under the same names, so every Prescription.file still
finds its file. Run by migration 0011 and by `manage.py
prescription_files_import`; safe to repeat: a file already stored with the
same bytes is counted and skipped, one stored with other bytes is left alone
and reported, never overwritten."""

import mimetypes
from pathlib import Path
from typing import NamedTuple


class ImportCounts(NamedTuple):
    imported: int
    already_stored: int
    conflicting: int  # stored under the same name with other bytes: left alone
    removed_from_disk: int


def disk_files_import(
    *, root: Path, stored_files, remove: bool = False
) -> ImportCounts:
    """Copy every file under ``root`` into ``stored_files`` (the StoredFile
    manager; a migration passes its historical model's). With ``remove``, a
    disk file is deleted only once its stored copy has been read back equal."""
    imported = already = conflicting = removed = 0
    root = Path(root)
    files = sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else []
    for path in files:
        if path.suffix == ".part":
            continue  # a page being written when the server stopped: not a file yet
        name = path.relative_to(root).as_posix()
        data = path.read_bytes()
        stored = (
            stored_files.filter(name=name).values_list("content", flat=True).first()
        )
        if stored is None:
            stored_files.create(
                name=name,
                content=data,
                size=len(data),
                content_type=mimetypes.guess_type(name)[0] or "",
            )
            imported += 1
        elif bytes(stored) == data:
            already += 1
        else:
            conflicting += 1
            continue
        if remove:
            check = stored_files.filter(name=name).values_list("content", flat=True)
            if bytes(check.get()) == data:
                path.unlink()
                removed += 1
    return ImportCounts(imported, already, conflicting, removed)
