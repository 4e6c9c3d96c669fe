from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from checkout.dispensing.file_import import disk_files_import
from checkout.dispensing.models import StoredFile


class Command(BaseCommand):
    help = (
        "Move prescription files from PRIVATE_MEDIA_ROOT on disk into the database "
        "storage. Safe to repeat. --remove deletes each disk file once its stored "
        "copy has been read back equal."
    )

    def add_arguments(self, parser):
        parser.add_argument("--remove", action="store_true")

    def handle(self, *args, remove=False, **options):
        counts = disk_files_import(
            root=settings.PRIVATE_MEDIA_ROOT,
            stored_files=StoredFile.objects,
            remove=remove,
        )
        # Counts only: a file's name is random but its folder says whose it is.
        self.stdout.write(
            f"Imported {counts.imported} file(s); {counts.already_stored} already "
            f"stored; {counts.removed_from_disk} removed from disk."
        )
        if counts.conflicting:
            raise CommandError(
                f"{counts.conflicting} file(s) are stored under the same name with "
                "other contents; they were left on disk for a person to compare."
            )
