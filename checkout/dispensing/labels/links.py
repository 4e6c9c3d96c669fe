"""The link a label's QR code carries to the accessible HTML label.

The URL holds only a signed, timestamped fill number: no name, no drug, no
order number. The signature stops anyone guessing another patient's label;
the link stops working a year after the fill, when the medicine must be
discarded anyway.
"""

import datetime

from django.core import signing

from checkout.dispensing.labels.content import DISCARD_WITHIN_DAYS
from pharmacy.core.links import absolute_reverse

_SALT = "checkout.dispensing.labels.accessible"
LINK_VALID = datetime.timedelta(days=DISCARD_WITHIN_DAYS)


def label_link(*, fill_id: int) -> str:
    token = signing.dumps(fill_id, salt=_SALT)
    return absolute_reverse("dispensing-label", kwargs={"token": token})


def label_fill_id(*, token: str) -> int | None:
    """The fill the link names, or None when it is forged or has expired."""
    try:
        return int(signing.loads(token, salt=_SALT, max_age=LINK_VALID))
    except (signing.BadSignature, TypeError, ValueError):
        return None
