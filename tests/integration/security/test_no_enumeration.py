"""Registration and the checkout gateway answer the same whether or not an
email has an account; failed sign-ins do the same hashing work."""

import re
from unittest import mock

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core import mail
from django.test import RequestFactory
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]*"')
NEW_PASSWORD = "a-long-new-passphrase-9"


def register(client, email):
    response = client.post(
        "/accounts/register/",
        {"email": email, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    return response.status_code, CSRF.sub(b"", response.content).replace(
        email.encode(), b"EMAIL"
    )


def test_registration_answers_the_same_for_a_known_and_a_new_email(client):
    UserFactory(email="known@example.com")

    known = register(client, "known@example.com")
    new = register(client, "new@example.com")

    assert known == new
    assert b"Check your inbox" in known[1]
    assert b"already exists" not in known[1]


def test_the_owner_of_a_known_email_is_told_someone_tried_to_register(client):
    UserFactory(email="known@example.com")

    register(client, "known@example.com")

    [message] = mail.outbox
    assert message.to == ["known@example.com"]
    assert "tried to create an account" in message.body


def test_a_new_email_gets_an_activation_link_that_signs_in_once(client):
    register(client, "new@example.com")
    user = get_user_model().objects.get(email="new@example.com")
    assert not user.is_active
    link = re.search(r"http://\S+/accounts/activate/\S+", mail.outbox[0].body).group(0)
    path = link.split("8000", 1)[1] if "8000" in link else link

    response = client.get(path)

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.is_active
    client.logout()
    assert client.get(path).status_code == 400


def test_the_checkout_gateway_lets_a_new_account_go_on_for_any_email(client, drug):
    UserFactory(email="known@example.com")
    client.post(
        reverse(
            "catalogue:add-variant",
            kwargs={"product_slug": drug.product.slug, "pk": drug.product.pk},
        ),
        {"strength": "10", "pack": "30", "quantity": 1},
    )
    answers = []
    for email in ("known@example.com", "fresh@example.com"):
        for option in ("new", "anonymous"):
            response = client.post(
                reverse("checkout:index"), {"username": email, "options": option}
            )
            answers.append(
                (option, response.status_code, response["Location"].split("email=")[0])
            )

    assert answers[0] == answers[2]
    assert answers[1] == answers[3]
    assert all(status == 302 for _, status, _ in answers)


@pytest.mark.parametrize("login", ["known@example.com", "nobody@example.com"])
def test_a_failed_email_sign_in_hashes_the_password_once(login):
    UserFactory(email="known@example.com")
    request = RequestFactory().post("/accounts/login/")
    from django.contrib.auth.hashers import get_hasher

    hasher = type(get_hasher())
    with mock.patch.object(hasher, "encode", autospec=True, wraps=hasher.encode) as spy:
        assert authenticate(request, username=login, password="wrong") is None

    assert spy.call_count == 1


@pytest.mark.parametrize("login", ["user-known", "user-unknown"])
def test_a_failed_username_sign_in_hashes_the_password_once(login):
    UserFactory(username="user-known")
    request = RequestFactory().post("/admin/login/")
    from django.contrib.auth.hashers import get_hasher

    hasher = type(get_hasher())
    with mock.patch.object(hasher, "encode", autospec=True, wraps=hasher.encode) as spy:
        assert authenticate(request, username=login, password="wrong") is None

    assert spy.call_count == 1
