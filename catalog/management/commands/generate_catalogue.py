from django.core.management.base import BaseCommand

from catalog.synthetic import synthetic_catalogue_generate


class Command(BaseCommand):
    help = (
        "Add N synthetic drugs (strengths, packs, prices, monograph) for "
        "benchmarks and tests. Never part of `make run`."
    )

    def add_arguments(self, parser):
        parser.add_argument("--drugs", type=int, required=True)

    def handle(self, *args, drugs, **options):
        packs = synthetic_catalogue_generate(drugs=drugs)
        self.stdout.write(f"Added {drugs} synthetic drugs with {packs} packs.")
