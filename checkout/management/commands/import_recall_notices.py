import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from checkout.dispensing.stock import recalls


class Command(BaseCommand):
    help = (
        "Read a drug enforcement report in openFDA's JSON form (the answer of "
        "api.fda.gov/drug/enforcement.json, saved to a file) and flag every lot "
        "it names: not filled until a pharmacist recalls it."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The JSON file.")

    def handle(self, *args, path, **options):
        try:
            report = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise CommandError(f"Could not read {path}: {exc}") from exc
        flagged = recalls.recall_notices_import(report=report)
        for lot in flagged:
            self.stdout.write(f"Flagged lot {lot.lot_number} (NDC {lot.ndc}).")
        self.stdout.write(f"{len(flagged)} lot(s) flagged.")
