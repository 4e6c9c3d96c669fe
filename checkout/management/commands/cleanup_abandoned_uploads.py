from django.conf import settings
from django.core.management.base import BaseCommand

from checkout.dispensing.abandoned_uploads import abandoned_uploads_delete


class Command(BaseCommand):
    help = (
        "Delete prescription files of checkouts that never became orders, older "
        "than PRESCRIPTION_ABANDONED_AFTER_DAYS. Safe to repeat; run it daily."
    )

    def handle(self, *args, **options):
        counts = abandoned_uploads_delete()
        # Counts only: nothing about whose files they were.
        self.stdout.write(
            f"Deleted {counts.prescriptions} abandoned prescription(s) older than "
            f"{settings.PRESCRIPTION_ABANDONED_AFTER_DAYS} days, "
            f"{counts.orphan_files} orphan file(s) and "
            f"{counts.orphan_page_caches} orphan page cache(s)."
        )
