"""TOTP helpers for tests: a device for a staff user, and its current code."""

import time

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice


def totp_device_for(user) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="test", confirmed=True)


def totp_code(device: TOTPDevice) -> str:
    """A code the device accepts now. A code is good once per 30-second step,
    so after a sign-in in this step, give the next step's (within tolerance)."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if device.last_t >= totp.t():
        totp.time += device.step
    return f"{totp.token():0{device.digits}d}"


def otp_verify_session(*, client, user) -> None:
    """Mark the client's session as having entered this user's TOTP code."""
    device = totp_device_for(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def totp_code_from_secret(secret: str) -> str:
    """The current code for a base32 secret, as an authenticator app shows it."""
    from base64 import b32decode

    padded = secret + "=" * (-len(secret) % 8)
    totp = TOTP(b32decode(padded), 30, 0, 6, 0)
    totp.time = time.time()
    return f"{totp.token():06d}"
