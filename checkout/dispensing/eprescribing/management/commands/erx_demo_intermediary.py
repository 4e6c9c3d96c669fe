import os
import secrets

from django.conf import settings
from django.core.management.base import BaseCommand
from django.urls import reverse

from pharmacy.core.links import absolute_url

DEMO_MESSAGE = "fixtures/erx/newrx.xml"


class Command(BaseCommand):
    help = (
        "Print the e-prescription endpoints and who may post to them; in "
        "development, make the demo intermediary (a random password, kept in "
        ".erx-demo-password) if there is none yet."
    )

    def handle(self, *args, **options):
        password_file = getattr(settings, "ERX_DEMO_PASSWORD_FILE", None)
        demo = password_file is not None and "ERX_INTERMEDIARIES" not in os.environ
        if demo:
            if not password_file.exists():
                password_file.write_text(secrets.token_urlsafe(18) + "\n")
                password_file.chmod(0o600)
            shown = {settings.ERX_DEMO_INTERMEDIARY: password_file.read_text().strip()}
        else:
            # Production passwords stay where they were set.
            shown = dict.fromkeys(settings.ERX_INTERMEDIARIES, "(as set)")
        script = absolute_url(reverse("eprescribing:script"))
        fhir = absolute_url(reverse("eprescribing:fhir"))
        self.stdout.write(f"E-prescription endpoints: {script} (NCPDP SCRIPT XML)")
        self.stdout.write(f"                          {fhir} (FHIR R4 JSON)")
        if not shown:
            self.stdout.write("  No intermediary is set up (ERX_INTERMEDIARIES).")
            return
        for name, password in shown.items():
            self.stdout.write(f"  intermediary {name}  password {password}")
        name, password = next(iter(shown.items()))
        if demo:
            self.stdout.write(
                f"  Try: curl -u {name}:{password} -H 'Content-Type: application/xml' "
                f"--data-binary @{DEMO_MESSAGE} {script}"
            )
