"""Staff reach the admin only after a TOTP code; new staff enrol by QR code."""

import re

import pytest
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from pharmacy.staff.demo_accounts import DEMO_ACCOUNTS
from tests.factories import UserFactory
from tests.two_factor import totp_code, totp_device_for

pytestmark = [pytest.mark.django_db, pytest.mark.no_auto_otp]
PASSWORD = "correct-horse-battery"


def sign_in(client, user, code=""):
    return client.post(
        "/admin/login/",
        {"username": user.username, "password": PASSWORD, "otp_token": code},
    )


def test_a_password_alone_does_not_open_the_admin(client):
    staff = UserFactory(is_staff=True)
    totp_device_for(staff)

    response = sign_in(client, staff)

    assert response.status_code == 200
    assert b"authentication code" in response.content
    assert client.get("/admin/").status_code == 302


def test_a_wrong_code_gets_the_same_message_as_a_wrong_password(client):
    staff = UserFactory(is_staff=True)
    totp_device_for(staff)

    wrong_code = sign_in(client, staff, code="000000").context["form"].errors
    wrong_password = (
        client.post(
            "/admin/login/",
            {"username": staff.username, "password": "nope", "otp_token": "1"},
        )
        .context["form"]
        .errors
    )

    assert wrong_code == wrong_password


def test_password_and_code_open_the_admin(client):
    staff = UserFactory(is_staff=True)
    device = totp_device_for(staff)

    assert sign_in(client, staff, code=totp_code(device)).status_code == 302
    assert client.get("/admin/").status_code == 200


def test_a_force_login_without_a_code_is_kept_out(client):
    staff = UserFactory(is_staff=True)
    totp_device_for(staff)
    client.force_login(staff)  # no automatic OTP in this module

    assert client.get("/admin/").status_code == 302


def test_new_staff_enrol_by_qr_code_and_get_single_use_backup_codes(client):
    staff = UserFactory(is_staff=True)

    response = sign_in(client, staff)
    assert response.status_code == 302
    assert response["Location"] == "/staff/two-factor/"
    page = client.get("/staff/two-factor/")
    assert b'src="data:image/svg+xml;base64,' in page.content
    assert client.get("/admin/").status_code == 302  # not until enrolled

    device = TOTPDevice.objects.get(user=staff, confirmed=False)
    done = client.post("/staff/two-factor/", {"otp_token": totp_code(device)})

    codes = re.findall(r"<code>([a-z0-9]+)</code>", done.content.decode())
    assert len(codes) == 10
    assert client.get("/admin/").status_code == 200

    # A backup code works once, in place of the app's code.
    client.logout()
    assert sign_in(client, staff, code=codes[0]).status_code == 302
    client.logout()
    assert sign_in(client, staff, code=codes[0]).status_code == 200
    assert StaticToken.objects.filter(device__user=staff).count() == 9


def test_enrolment_refuses_a_wrong_code(client):
    staff = UserFactory(is_staff=True)
    sign_in(client, staff)
    client.get("/staff/two-factor/")

    response = client.post("/staff/two-factor/", {"otp_token": "000000"})

    assert b"did not match" in response.content
    assert not TOTPDevice.objects.filter(user=staff, confirmed=True).exists()


def test_demo_staff_are_enrolled_and_their_secret_printed_once(db):
    from io import StringIO

    from django.core.management import call_command

    first, again = StringIO(), StringIO()
    call_command("create_demo_staff", stdout=first)
    call_command("create_demo_staff", stdout=again)

    assert first.getvalue().count("otpauth://totp/") == len(DEMO_ACCOUNTS)
    assert "otpauth://" not in again.getvalue()
    assert TOTPDevice.objects.filter(confirmed=True).count() == len(DEMO_ACCOUNTS)
