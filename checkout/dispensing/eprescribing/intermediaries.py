"""Who may send us e-prescriptions: each intermediary's name and password,
from settings.ERX_INTERMEDIARIES, presented with HTTP basic auth over HTTPS
(docs/e-prescriptions.md says why basic auth)."""

import base64
import binascii
import hmac

from django.conf import settings


def intermediary_of(*, authorization: str) -> str | None:
    """The intermediary whose basic-auth credentials these are, or None.

    Every configured pair is compared, in constant time, so the answer's
    timing does not tell a guesser which name exists."""
    scheme, _, encoded = authorization.partition(" ")
    if scheme.lower() != "basic" or not encoded:
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    name, colon, password = decoded.partition(":")
    if not colon:
        return None
    found = None
    for known_name, known_password in settings.ERX_INTERMEDIARIES.items():
        name_ok = hmac.compare_digest(name.encode(), known_name.encode())
        password_ok = hmac.compare_digest(password.encode(), known_password.encode())
        if name_ok and password_ok and known_password:
            found = known_name
    return found
