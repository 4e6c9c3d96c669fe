"""Signing in to the back office the way staff do: password, then a code
from the authenticator app, generated here from the account's TOTP secret."""

from playwright.sync_api import Page, expect

from tests.two_factor import totp_code, totp_device_for


def admin_sign_in(page: Page, live_server, *, username: str, password: str) -> None:
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username=username)
    device = totp_device_for(user)  # an enrolled authenticator
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_label("Authentication code").fill(totp_code(device))
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()
