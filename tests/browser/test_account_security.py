"""Registering and being locked out, as a shopper sees them."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from playwright.sync_api import Page, expect

from tests.browser.axe import assert_no_serious_violations
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_registering_says_check_your_inbox(page: Page, live_server):
    page.goto(live_server.url + "/accounts/register/")
    page.get_by_label("Email address").fill("new-shopper@example.com")
    page.get_by_label(re.compile(r"^Password")).fill("a-long-new-passphrase-9")
    page.get_by_label(re.compile(r"^Confirm password")).fill("a-long-new-passphrase-9")
    page.get_by_role("button", name="Create account").click()

    expect(page.get_by_role("heading", name="Check your inbox")).to_be_visible()
    assert_no_serious_violations(page)
    assert len(mail.outbox) == 1


def test_too_many_wrong_passwords_show_the_lockout_page(page: Page, live_server):
    customer = UserFactory()
    client = Client()  # same address as the browser: 127.0.0.1
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            "/accounts/login/",
            {
                "login-username": customer.email,
                "login-password": "wrong",
                "login_submit": "Log in",
            },
        )

    page.goto(live_server.url + "/accounts/login/")
    form = page.locator("#login_form")
    form.get_by_label(re.compile(r"^Email address")).fill(customer.email)
    form.get_by_label(re.compile(r"^Password")).fill("correct-horse-battery")
    form.get_by_role("button", name="Sign in").click()

    heading = page.get_by_role("heading", name="Too many sign-in attempts")
    expect(heading).to_be_visible()
    assert_no_serious_violations(page)
