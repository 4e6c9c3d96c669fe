"""Staff two-factor sign-in: TOTP devices, single-use backup codes, QR codes.

Built on django-otp: a confirmed TOTPDevice is the authenticator app, a
StaticDevice holds the backup codes (each StaticToken is deleted when used).
A session is verified once django_otp.login() records the device in it; the
admin site (admin_site.py) lets in verified staff only.
"""

import base64
from io import BytesIO

import qrcode
import qrcode.image.svg
from django.db import transaction
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

BACKUP_CODE_COUNT = 10
AUTHENTICATOR_NAME = "Authenticator app"
BACKUP_NAME = "Backup codes"


def staff_needs_enrolment(*, user) -> bool:
    """Staff without a confirmed authenticator must enrol before the admin."""
    return not any(
        isinstance(d, TOTPDevice) for d in devices_for_user(user, confirmed=True)
    )


def totp_device_pending(*, user) -> TOTPDevice:
    """The unconfirmed authenticator being enrolled: the same secret on every
    page load until a code confirms it, so a reload does not void a scan."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(
            user=user, name=AUTHENTICATOR_NAME, confirmed=False
        )
    return device


@transaction.atomic
def totp_device_confirm(*, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the authenticator with a code it shows. Returns fresh backup
    codes (shown once, stored only as single-use tokens), or None if the code
    is wrong."""
    if not device.verify_token(token.strip().replace(" ", "")):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
    return backup_codes_replace(user=device.user)


def totp_device_enrol(*, user) -> TOTPDevice:
    """A confirmed authenticator, made without a scan: for the demo accounts,
    whose otpauth URI is printed once at creation."""
    return TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=True)


@transaction.atomic
def backup_codes_replace(*, user) -> list[str]:
    """New single-use backup codes; any old ones stop working."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=BACKUP_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(
        [StaticToken(device=device, token=code) for code in codes]
    )
    return codes


def qr_code_data_uri(*, text: str) -> str:
    """The text as a QR code, an SVG in a data: URI for an <img> (no inline
    script or style, so the page keeps its strict CSP)."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=10)
    buffer = BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def secret_for_typing(*, device: TOTPDevice) -> str:
    """The secret in base32, grouped by four, for typing into an app by hand."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
