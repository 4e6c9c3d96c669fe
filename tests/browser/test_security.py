"""In a real browser: no page breaks the Content-Security-Policy, and new
staff enrol their authenticator by QR code and sign in with a code."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from tests.browser.axe import assert_no_serious_violations
from tests.browser.staff import admin_sign_in
from tests.factories import UserFactory
from tests.two_factor import totp_code

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "correct-horse-battery"

SHOPPER_PAGES = ["/", "/catalogue/", "/basket/", "/accounts/login/", "/checkout/"]
ADMIN_PAGES = ["/admin/", "/admin/catalogue/packprice/", "/admin/auth/user/add/"]


def watch_csp(page: Page) -> list[str]:
    """Collect CSP violations: the browser logs each as a console error, and
    fires securitypolicyviolation on the document."""
    violations: list[str] = []
    page.on(
        "console",
        lambda msg: (
            violations.append(msg.text)
            # A Permissions-Policy naming a feature Chromium does not know
            # logs "Unrecognized feature" on every page.
            if "Content Security Policy" in msg.text
            or "Unrecognized feature" in msg.text
            else None
        ),
    )
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => "
        "console.error('Content Security Policy violation: ' + "
        "e.violatedDirective + ' ' + e.blockedURI));"
    )
    return violations


def test_no_page_logs_a_csp_violation(page: Page, live_server, product_url):
    violations = watch_csp(page)
    for path in [*SHOPPER_PAGES]:
        page.goto(live_server.url + path)
    page.goto(product_url)
    page.get_by_role("button", name="Add to basket").first.click()
    page.goto(live_server.url + "/basket/")

    admin = UserFactory(is_staff=True, is_superuser=True)
    admin_sign_in(page, live_server, username=admin.username, password=PASSWORD)
    for path in ADMIN_PAGES:
        page.goto(live_server.url + path)
        page.wait_for_load_state("load")

    assert violations == []


def test_new_staff_enrol_by_qr_code_then_sign_in_with_a_code(page: Page, live_server):
    staff = UserFactory(is_staff=True, is_superuser=True)
    violations = watch_csp(page)

    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Username").fill(staff.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    expect(
        page.get_by_role("heading", name="Set up two-factor sign-in")
    ).to_be_visible()
    expect(
        page.get_by_role("img", name="QR code for your authenticator app")
    ).to_be_visible()
    assert_no_serious_violations(page)
    device = TOTPDevice.objects.get(user=staff, confirmed=False)
    page.get_by_label("Code from the app").fill(totp_code(device))
    page.get_by_role("button", name="Confirm").click()

    expect(page.get_by_role("heading", name="Two-factor sign-in is on")).to_be_visible()
    assert page.locator(".backup-codes li").count() == 10
    page.get_by_role("link", name="Continue to the back office").click()
    expect(page.get_by_role("heading", name="Back office")).to_be_visible()

    # Next time: password and a code from the app.
    page.context.clear_cookies()
    admin_sign_in(page, live_server, username=staff.username, password=PASSWORD)
    assert violations == []
