"""Changing what staff may change on a strength. Each field is one role's
decision (pharmacy/staff/roles.py): price editors switch a strength on or off;
which markets it is approved in is the superintendent's or the pharmacist's.
Every path that changes a strength after it exists (the admin's list, its
page, a forged POST, a command) comes through here, and the strength's
history records who changed it and when."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from catalog import markets
from catalog.models import Strength
from pharmacy.staff.roles import Perm, may

# Who may change each field of a strength that exists; nothing else changes.
STRENGTH_FIELD_PERMS = {
    "is_available": Perm.SWITCH_STRENGTHS,
    "approved_markets": Perm.APPROVE_MARKETS,
}


def strength_fields_editable(*, user) -> tuple[str, ...]:
    """The strength's fields this user may change, in form order."""
    return tuple(f for f, perm in STRENGTH_FIELD_PERMS.items() if may(user, perm))


def markets_normalised(text: str) -> str:
    """Approved markets as stored: upper-case codes, sorted, comma-separated."""
    return ",".join(sorted(markets.parse_markets(text)))


@transaction.atomic
def strength_update(*, strength: Strength, actor, changes: dict) -> Strength:
    """Apply ``changes`` ({field: new value}) to the stored strength. A field
    whose value really changes must be one the actor may change, or nothing
    is saved (PermissionDenied). Returns the strength as stored."""
    stored = Strength.objects.select_for_update().get(pk=strength.pk)
    changed = {f: v for f, v in changes.items() if _differs(stored, f, v)}
    for field in changed:
        perm = STRENGTH_FIELD_PERMS.get(field)
        if perm is None or not may(actor, perm):
            raise PermissionDenied(
                f"You may not change a strength's {field.replace('_', ' ')}."
            )
    if not changed:
        return stored
    if "approved_markets" in changed:
        changed["approved_markets"] = markets_normalised(changed["approved_markets"])
    for field, value in changed.items():
        setattr(stored, field, value)
    # django-simple-history's documented way to name who made a change.
    stored._history_user = actor
    stored.save(update_fields=list(changed))
    return stored


def _differs(stored: Strength, field: str, value) -> bool:
    if field == "approved_markets":
        # The same markets in another order or case are no change.
        return markets.parse_markets(stored.approved_markets) != (
            markets.parse_markets(value)
        )
    return getattr(stored, field) != value
