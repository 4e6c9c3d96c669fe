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
    # Signed in: the back office's user tools (where each role lands differs).
    expect(page.locator("#user-tools")).to_be_visible()


SHOTS = "/tmp/shots"  # noqa: S108  screenshots are looked at, never kept in the repo


def looked_at(page: Page, name: str, *, who: str) -> None:
    """A staff page checked with axe, photographed on a phone and a desktop
    (under SHOTS/<who>/), and without sideways scrolling on the phone."""
    from pathlib import Path

    from tests.browser.axe import assert_no_serious_violations

    assert_no_serious_violations(page)
    folder = Path(SHOTS) / who
    folder.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 360, "height": 800})
    page.screenshot(path=folder / f"{name}-360.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.set_viewport_size({"width": 1280, "height": 800})
    page.screenshot(path=folder / f"{name}-1280.png", full_page=True)
