"""Where prescription files are kept: Django's "prescriptions" storage
(settings.STORAGES), rows of StoredFile in the database beside the rest of the
health data. One pg_dump holds the orders and their prescriptions, and every
app server reads the same files. There is no URL: only the pharmacist's
recorded file view (admin/prescription_files.py) reads them.

Object storage (django-storages' S3 backend on a private bucket) can take this
alias's place; docs/operations.md says how and what it costs the backup.
"""

import mimetypes
from pathlib import PurePosixPath

from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages
from django.db import IntegrityError, transaction

PRESCRIPTIONS = "prescriptions"


def _stored_files():
    # Looked up by name: the models module names this storage for its file
    # field, so importing it here would make a cycle.
    return apps.get_model("checkout", "StoredFile").objects


class DatabaseFileStorage(Storage):
    """Files as database rows (name, bytes, size, content type, created).

    Names are "folder/file"; listdir sees the folders the names imply. Saving
    a name that is already taken raises FileExistsError (two pharmacists
    drawing the same page at once: the second keeps the first one's copy).
    """

    def _open(self, name, mode="rb"):
        if "w" in mode or "a" in mode or "+" in mode:
            raise ValueError(
                "Stored files are written with save(), not opened for writing."
            )
        row = (
            _stored_files().filter(name=name).values_list("content", flat=True).first()
        )
        if row is None:
            raise FileNotFoundError(name)
        content = ContentFile(bytes(row), name=name)
        content.mode = mode
        return content

    def _save(self, name, content):
        if hasattr(content, "seek"):
            content.seek(0)
        data = content.read()
        if isinstance(data, str):
            data = data.encode()
        content_type = getattr(content, "content_type", None) or (
            mimetypes.guess_type(name)[0] or ""
        )
        try:
            with transaction.atomic():
                _stored_files().create(
                    name=name, content=data, size=len(data), content_type=content_type
                )
        except IntegrityError as exc:
            raise FileExistsError(name) from exc
        return name

    def delete(self, name):
        if name:
            _stored_files().filter(name=name).delete()

    def exists(self, name):
        files = _stored_files()
        return (
            files.filter(name=name).exists()
            or files.filter(name__startswith=f"{name.rstrip('/')}/").exists()
        )

    def listdir(self, path):
        prefix = f"{path.strip('/')}/" if path.strip("/") else ""
        folders, files = set(), []
        names = (
            _stored_files()
            .filter(name__startswith=prefix)
            .values_list("name", flat=True)
        )
        for name in names:
            rest = PurePosixPath(name[len(prefix) :]).parts
            if len(rest) == 1:
                files.append(rest[0])
            else:
                folders.add(rest[0])
        return sorted(folders), sorted(files)

    def size(self, name):
        size = _stored_files().filter(name=name).values_list("size", flat=True).first()
        if size is None:
            raise FileNotFoundError(name)
        return size

    def get_created_time(self, name):
        created = (
            _stored_files()
            .filter(name=name)
            .values_list("created_at", flat=True)
            .first()
        )
        if created is None:
            raise FileNotFoundError(name)
        return created

    # Rows are written once and never changed in place.
    get_modified_time = get_created_time
    get_accessed_time = get_created_time

    def url(self, name):
        raise ValueError("Private files have no URL; use the pharmacist's file view.")


def prescription_storage():
    return storages[PRESCRIPTIONS]
