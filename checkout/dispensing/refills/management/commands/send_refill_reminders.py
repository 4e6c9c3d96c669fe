from django.core.management.base import BaseCommand

from checkout.dispensing.refills.reminders import reminders_send


class Command(BaseCommand):
    help = "Send the refill reminders that are due. Safe to run as often as you like."

    def handle(self, *args, **options):
        sent = reminders_send()
        self.stdout.write(f"Sent {sent} refill reminder{'s' if sent != 1 else ''}.")
