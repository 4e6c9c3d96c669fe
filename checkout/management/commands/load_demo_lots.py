from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from checkout.dispensing.stock import receiving
from pharmacy.staff.demo_accounts import demo_username
from pharmacy.staff.roles import STOCK_STAFF


class Command(BaseCommand):
    help = (
        "Receive two demo lots of each pack, one expiring soon, as the demo "
        "stock staff account. Adds only what is missing."
    )

    def handle(self, *args, **options):
        username = demo_username(STOCK_STAFF)
        actor = get_user_model().objects.filter(username=username).first()
        if actor is None:
            raise CommandError(f"Run create_demo_staff first (no {username!r}).")
        added = receiving.demo_lots_ensure(actor=actor, today=timezone.localdate())
        self.stdout.write(f"{added} demo lot(s) received.")
