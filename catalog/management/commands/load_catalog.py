from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from catalog.services import catalog_load


class Command(BaseCommand):
    help = "Load fixtures/catalog.json: adds what is missing, never overwrites."

    def add_arguments(self, parser):
        parser.add_argument(
            "path",
            nargs="?",
            default=str(settings.BASE_DIR / "fixtures" / "catalog.json"),
        )

    def handle(self, *args, path, **options):
        report = catalog_load(path=Path(path))
        if report.created:
            self.stdout.write(f"Created {len(report.created)} catalog items.")
        else:
            self.stdout.write("Catalog already loaded; nothing changed.")
