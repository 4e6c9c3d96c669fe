"""Where prescription files are kept: Django's "prescriptions" storage
(settings.STORAGES), under PRIVATE_MEDIA_ROOT, apart from the public media
and never served by URL; only the pharmacist's recorded file view
(admin/prescription_files.py) reads them."""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages

PRESCRIPTIONS = "prescriptions"


class PrescriptionFileStorage(FileSystemStorage):
    """Files on a disk every app server shares, with no URL: a link to one
    would bypass the pharmacist's recorded view. The folder is the setting's
    as it is now, so a model's field, which holds one storage for its life,
    follows PRIVATE_MEDIA_ROOT when it changes."""

    @property
    def base_location(self):
        return settings.PRIVATE_MEDIA_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Private files have no URL; use the pharmacist's file view.")


def prescription_storage():
    return storages[PRESCRIPTIONS]
