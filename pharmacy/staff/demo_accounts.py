"""The demo staff accounts `make run` creates: one per role, each with a
fresh password, a TOTP device and backup codes, shown once."""

import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from pharmacy.staff import two_factor
from pharmacy.staff.groups import staff_groups_ensure
from pharmacy.staff.roles import ROLE_PERMISSIONS


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    password: str | None  # None when the account already existed
    # Shown once with the password: the authenticator secret and backup codes.
    otpauth_uri: str | None = None
    backup_codes: tuple[str, ...] = ()


def demo_username(role: str) -> str:
    """One demo account per role, named after it: "Price editors" -> "price-editor"."""
    words = role.lower().split()
    words[-1] = words[-1].removesuffix("s")
    return "-".join(words)


# Every role gets a demo account, so a role added above is printed by `make run`
# (and tests/unit/test_readme_accounts.py asks the README to list it).
DEMO_ACCOUNTS = tuple((demo_username(role), role) for role in ROLE_PERMISSIONS)


@transaction.atomic
def demo_staff_create() -> list[DemoAccount]:
    """Create the demo staff accounts once, each with a fresh random password.

    An account that already exists keeps its password, which is never stored
    anywhere but as a hash.
    """
    groups = staff_groups_ensure()
    user_model = get_user_model()
    accounts = []
    for username, role in DEMO_ACCOUNTS:
        user = user_model.objects.filter(username=username).first()
        password = otpauth_uri = None
        backup_codes: tuple[str, ...] = ()
        if user is None:
            password = secrets.token_urlsafe(12)
            user = user_model.objects.create_user(
                username=username,
                email=f"{username}@pharmacy.invalid",
                password=password,
                is_staff=True,
            )
            # The admin asks staff for a TOTP code: enrol the demo accounts
            # now so `make run` works at once.
            otpauth_uri = two_factor.totp_device_enrol(user=user).config_url
            backup_codes = tuple(two_factor.backup_codes_replace(user=user))
        user.groups.add(groups[role])
        accounts.append(
            DemoAccount(
                username=username,
                role=role,
                password=password,
                otpauth_uri=otpauth_uri,
                backup_codes=backup_codes,
            )
        )
    return accounts
