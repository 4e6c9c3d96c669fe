"""Prescription files on disk (PRIVATE_MEDIA_ROOT) move into the database.
The disk copies stay until `manage.py prescription_files_import --remove`."""

from django.conf import settings
from django.db import migrations


def files_in(apps, schema_editor):
    from checkout.dispensing.file_import import disk_files_import

    stored_files = apps.get_model("checkout", "StoredFile").objects
    disk_files_import(root=settings.PRIVATE_MEDIA_ROOT, stored_files=stored_files)


class Migration(migrations.Migration):
    dependencies = [("checkout", "0010_stored_files")]

    operations = [migrations.RunPython(files_in, migrations.RunPython.noop)]
