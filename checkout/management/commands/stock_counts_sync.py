from django.core.management.base import BaseCommand

from checkout.dispensing.stock import counts


class Command(BaseCommand):
    help = (
        "Set every pack's stock count to the packs in its unexpired, unrecalled "
        "lots (lots expire overnight without anyone touching them). Also run "
        "daily by Celery beat."
    )

    def handle(self, *args, **options):
        changed = counts.stock_counts_sync()
        self.stdout.write(f"{changed} stock count(s) changed.")
