from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from catalog.costs.demo import demo_costs_load


class Command(BaseCommand):
    help = (
        "Add the demo acquisition costs (fixtures/pack_costs.json) to packs "
        "that have none, marked as demo figures."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path",
            nargs="?",
            default=str(settings.BASE_DIR / "fixtures" / "pack_costs.json"),
        )

    def handle(self, *args, path, **options):
        added = demo_costs_load(path=Path(path))
        self.stdout.write(
            f"Added {added} demo pack cost(s)." if added else "Pack costs already set."
        )
