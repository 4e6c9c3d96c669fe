from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from pharmacy.core.setup_steps import SETUP_STEPS


class Command(BaseCommand):
    help = "Prepare the database for `make run`: every step in pharmacy/setup_steps.py."

    def handle(self, *args, **options):
        verbosity = options["verbosity"]
        for step in SETUP_STEPS:
            self.stdout.write(f"==> {step.says} (manage.py {step.command})")
            # migrate lists every migration at verbosity 1: one line a step is enough.
            quiet = step.command == "migrate" and verbosity < 2
            step_verbosity = 0 if quiet else verbosity
            call_command(
                step.command,
                *step.args,
                verbosity=step_verbosity,
                stdout=self.stdout,
                stderr=self.stderr,
            )
        if settings.METRICS_TOKEN:
            self.stdout.write(
                f"==> Metrics for Prometheus: {settings.PUBLIC_BASE_URL}/metrics "
                f"with the header 'Authorization: Bearer {settings.METRICS_TOKEN}'"
            )
