"""Where the pharmacy may deliver: only to states it holds an active licence in."""

from localflavor.us.us_states import STATE_CHOICES

from pharmacy.compliance.models import StateLicence
from pharmacy.core import cache

_STATE_NAMES = dict(STATE_CHOICES)


def state_name(*, state: str) -> str:
    return str(_STATE_NAMES.get(state, state))


def licensed_states(*, fresh: bool = False) -> frozenset[str]:
    """The states we hold an active licence in: through the catalogue cache
    (kept exact by the version a licence's write bumps), or, ``fresh``, as
    the table says now, as placing an order asks."""
    if fresh:
        return _active_states()
    return cache.versioned(key="licensed-states", compute=_active_states)


def _active_states() -> frozenset[str]:
    return frozenset(
        StateLicence.objects.filter(is_active=True).values_list("state", flat=True)
    )


def state_delivery_refusal(*, state: str, fresh: bool = False) -> str | None:
    """Why we can't deliver to `state` (a two-letter code), or None if we can.

    No active licence means no delivery: a state missing from the table is
    refused, never assumed licensed.
    """
    if state in licensed_states(fresh=fresh):
        return None
    return (
        f"Sorry, we can't deliver to {state_name(state=state)}: our pharmacy is not "
        "licensed there, so we may not send prescription medicines to that state. "
        "Please use an address in a state we are licensed in (see Licences at the "
        "foot of the page)."
    )


def active_licences() -> list[StateLicence]:
    return list(StateLicence.objects.filter(is_active=True))
