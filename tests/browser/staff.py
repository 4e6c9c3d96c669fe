"""Signing in to the back office the way staff do."""

from playwright.sync_api import Page, expect


def admin_sign_in(page: Page, live_server, *, username: str, password: str) -> None:
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()
