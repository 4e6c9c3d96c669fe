"""django-axes: failed sign-ins lock an account+IP pair on every sign-in path."""

import re

import pytest
import time_machine
from axes.models import AccessAttempt
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory
from tests.two_factor import totp_code, totp_device_for

PASSWORD = "correct-horse-battery"
WRONG = "not-the-password"
CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]*"')


def admin_sign_in(client, *, username, password, code=""):
    return client.post(
        "/admin/login/",
        {"username": username, "password": password, "otp_token": code},
    )


def storefront_sign_in(client, *, email, password):
    return client.post(
        "/accounts/login/",
        {
            "login-username": email,
            "login-password": password,
            "login_submit": "Log in",
        },
    )


@pytest.mark.django_db
@pytest.mark.no_auto_otp
def test_ten_wrong_admin_passwords_lock_until_the_cool_off_ends(client):
    staff = UserFactory(is_staff=True)
    device = totp_device_for(staff)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        admin_sign_in(client, username=staff.username, password=WRONG)

    locked = admin_sign_in(
        client, username=staff.username, password=PASSWORD, code=totp_code(device)
    )
    assert locked.status_code == 429
    assert b"Too many sign-in attempts" in locked.content
    assert client.get("/admin/").status_code == 302  # still signed out

    later = timezone.now() + settings.AXES_COOLOFF_TIME + timezone.timedelta(minutes=1)
    with time_machine.travel(later, tick=False):
        response = admin_sign_in(
            client, username=staff.username, password=PASSWORD, code=totp_code(device)
        )
        assert response.status_code == 302
        assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_ten_wrong_storefront_passwords_lock_the_account(client):
    customer = UserFactory()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        storefront_sign_in(client, email=customer.email, password=WRONG)

    response = storefront_sign_in(client, email=customer.email, password=PASSWORD)

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_checkout_gateway_sign_in_is_counted_and_locked(client, drug):
    customer = UserFactory()
    client.post(
        reverse(
            "catalogue:add-variant",
            kwargs={"product_slug": drug.product.slug, "pk": drug.product.pk},
        ),
        {"strength": "10", "pack": "30", "quantity": 1},
    )
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            "/checkout/",
            {"username": customer.email, "password": WRONG, "options": "existing"},
        )
    assert AccessAttempt.objects.filter(username=customer.email.lower()).exists()
    response = client.post(
        "/checkout/",
        {"username": customer.email, "password": PASSWORD, "options": "existing"},
    )
    assert response.status_code == 429


@pytest.mark.django_db
def test_a_lockout_reads_the_same_for_an_existing_and_an_unknown_account(client):
    customer = UserFactory()
    pages = []
    for email in (customer.email, "nobody-here@example.com"):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            storefront_sign_in(client, email=email, password=WRONG)
        response = storefront_sign_in(client, email=email, password=WRONG)
        pages.append((response.status_code, CSRF.sub(b"", response.content)))

    assert pages[0] == pages[1]
    assert pages[0][0] == 429
    assert customer.email.encode() not in pages[0][1]


@pytest.mark.django_db
def test_the_lock_is_per_account_and_ip_not_per_account(client):
    customer = UserFactory()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        storefront_sign_in(client, email=customer.email, password=WRONG)

    other_ip = client.post(
        "/accounts/login/",
        {
            "login-username": customer.email,
            "login-password": PASSWORD,
            "login_submit": "Log in",
        },
        REMOTE_ADDR="203.0.113.9",
    )

    assert other_ip.status_code == 302


@pytest.mark.django_db
def test_a_superuser_unlocks_an_account_in_the_admin(client):
    customer = UserFactory()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        storefront_sign_in(client, email=customer.email, password=WRONG)
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    attempt = AccessAttempt.objects.get()

    client.post(
        "/admin/axes/accessattempt/",
        {"action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"},
    )
    client.logout()

    assert not AccessAttempt.objects.exists()
    response = storefront_sign_in(client, email=customer.email, password=PASSWORD)
    assert response.status_code == 302


@pytest.mark.django_db
@pytest.mark.no_auto_otp
def test_wrong_codes_for_a_username_lock_the_same_account_by_its_email(client):
    staff = UserFactory(
        username="review-moderator",
        email="review-moderator@pharmacy.example",
        is_staff=True,
    )
    device = totp_device_for(staff)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        admin_sign_in(
            client, username="review-moderator", password=PASSWORD, code="000000"
        )

    by_email = admin_sign_in(
        client,
        username="Review-Moderator@pharmacy.example",
        password=PASSWORD,
        code=totp_code(device),
    )

    assert by_email.status_code == 429
    assert client.get("/admin/").status_code == 302  # still signed out


@pytest.mark.django_db
@pytest.mark.no_auto_otp
def test_wrong_passwords_by_email_lock_the_same_account_by_its_username(client):
    staff = UserFactory(
        username="pharmacist", email="pharmacist@pharmacy.example", is_staff=True
    )
    device = totp_device_for(staff)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        admin_sign_in(client, username="pharmacist@pharmacy.example", password=WRONG)

    by_username = admin_sign_in(
        client, username="pharmacist", password=PASSWORD, code=totp_code(device)
    )

    assert by_username.status_code == 429


@pytest.mark.django_db
def test_one_accounts_lock_leaves_another_account_open(client):
    locked = UserFactory(email="locked@example.com")
    other = UserFactory(email="other@example.com")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        storefront_sign_in(client, email=locked.email, password=WRONG)

    assert (
        storefront_sign_in(client, email=locked.email, password=PASSWORD).status_code
        == 429
    )
    assert (
        storefront_sign_in(client, email=other.email, password=PASSWORD).status_code
        == 302
    )
