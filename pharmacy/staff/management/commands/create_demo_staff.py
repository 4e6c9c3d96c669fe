from django.conf import settings
from django.core.management.base import BaseCommand

from pharmacy.staff.demo_accounts import demo_staff_create


class Command(BaseCommand):
    help = (
        "Create the demo staff accounts, printing new passwords and two-factor "
        "secrets once."
    )

    def handle(self, *args, **options):
        for account in demo_staff_create():
            if account.password:
                self.stdout.write(
                    f"Created {account.role} account: username {account.username!r}, "
                    f"password {account.password!r}  (shown once; not stored)\n"
                    f"  two-factor: add this to an authenticator app "
                    f"(or make a QR code of it): {account.otpauth_uri}\n"
                    f"  backup codes (each works once): "
                    f"{' '.join(account.backup_codes)}"
                )
            else:
                self.stdout.write(
                    f"{account.role} account {account.username!r} already exists; "
                    f"reset its password with: python manage.py changepassword "
                    f"{account.username}"
                )
        self.stdout.write(f"Staff sign in at {settings.PUBLIC_BASE_URL}/admin/")
