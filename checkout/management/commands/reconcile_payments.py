import datetime

from django.core.management.base import BaseCommand

from checkout.payments import reconciliation


class Command(BaseCommand):
    help = (
        "Ask Stripe about every payment left half-done (capture, release or "
        "refund requested) and every card hold past its lapse time, and bring "
        "each order into line. Also run every 15 minutes by Celery beat."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than-minutes",
            type=int,
            default=2,
            help="Leave payments changed more recently alone (a request may "
            "still be working on them). Default 2.",
        )

    def handle(self, *args, **options):
        counts = reconciliation.payments_reconcile(
            older_than=datetime.timedelta(minutes=options["older_than_minutes"])
        )
        if not counts:
            self.stdout.write("Nothing to reconcile.")
        for state, count in sorted(counts.items()):
            self.stdout.write(f"{state}: {count}")
