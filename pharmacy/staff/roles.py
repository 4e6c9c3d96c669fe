"""Staff roles. Each role is a Django group holding exactly the permissions the
job needs; accounts get their powers only through these groups."""

import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction

from pharmacy.staff import two_factor

PRICE_EDITORS = "Price editors"
PHARMACISTS = "Pharmacists"
REVIEW_MODERATORS = "Review moderators"
SUPERINTENDENTS = "Superintendent"
CATALOGUE_EDITORS = "Catalogue editors"

ROLE_PERMISSIONS: dict[str, list[tuple[str, str]]] = {
    # Prices and availability, nothing else: no deleting, no users, no orders.
    PRICE_EDITORS: [
        ("catalogue", "view_packprice"),
        ("catalogue", "change_packprice"),
        ("catalogue", "view_strength"),
        ("catalogue", "change_strength"),
        ("catalogue", "view_historicalstrength"),
        ("partner", "view_historicalstockrecord"),
    ],
    # Prescription review, dispatch, and the orders and health data behind them.
    PHARMACISTS: [
        ("checkout", "review_prescription"),
        ("checkout", "dispatch_order"),
        ("checkout", "view_prescription"),
        ("checkout", "view_patientdetails"),
        ("checkout", "view_orderevent"),
        ("refills", "view_transferrequest"),
        ("refills", "change_transferrequest"),
        ("order", "view_order"),
        # Customer emails that could not be sent, to resend or phone instead.
        ("pharmacy", "view_outboundemail"),
        # Side-effect reports arrive as reviews; the pharmacist follows them up.
        ("reviews", "view_productreview"),
        ("reviews", "moderate_review"),
        ("catalogue", "view_packprice"),
        ("catalogue", "view_drug"),
        ("catalogue", "view_monographsection"),
        ("catalogue", "change_monographsection"),
        ("catalogue", "view_strength"),
    ],
    REVIEW_MODERATORS: [
        ("reviews", "view_productreview"),
        ("reviews", "moderate_review"),
    ],
    # Answers for who saw whose health data: the access log, read-only. Seeing
    # the health data itself still takes the pharmacist role.
    SUPERINTENDENTS: [
        ("checkout", "view_healthdataaccess"),
    ],
    # Adding drugs (with their packs, monograph and image) and publishing them;
    # prices of existing packs stay with the price editors.
    CATALOGUE_EDITORS: [
        ("catalogue", "view_drug"),
        ("catalogue", "add_drug"),
        ("catalogue", "change_drug"),
        ("catalogue", "view_strength"),
        ("catalogue", "add_strength"),
        ("catalogue", "change_strength"),
        ("catalogue", "view_monographsection"),
        ("catalogue", "add_monographsection"),
        ("catalogue", "change_monographsection"),
        ("catalogue", "delete_monographsection"),
        ("catalogue", "view_packprice"),
    ],
}


def staff_groups_ensure() -> dict[str, Group]:
    """Create the role groups and set their permissions to exactly ROLE_PERMISSIONS."""
    groups = {}
    for name, perms in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(
            [
                Permission.objects.get(content_type__app_label=app, codename=code)
                for app, code in perms
            ]
        )
        groups[name] = group
    return groups


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
