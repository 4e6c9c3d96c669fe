"""Signing out takes a POST: a link, a prefetch or another site's image tag
cannot sign a customer out."""

import re
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password-4821"


@pytest.fixture
def signed_in(client):
    user = UserFactory(email="sam@example.com", password=PASSWORD)
    client.force_login(user)
    return user


def is_signed_in(client) -> bool:
    return client.get("/").wsgi_request.user.is_authenticated


def test_get_does_not_sign_out(client, signed_in):
    response = client.get(reverse("customer:logout"))
    assert response.status_code == 200
    assert b'method="post"' in response.content
    assert is_signed_in(client)


def test_post_signs_out(client, signed_in):
    response = client.post(reverse("customer:logout"))
    assert response.status_code == 302
    assert not is_signed_in(client)


def test_header_has_a_sign_out_button_when_signed_in(client, signed_in):
    html = client.get("/").content.decode()
    assert f'<form action="{reverse("customer:logout")}" method="post"' in html
    assert ">Sign out</button>" in html
    assert f'href="{reverse("customer:logout")}"' not in html


def test_header_offers_sign_in_when_signed_out(client):
    html = client.get("/").content.decode()
    assert ">Sign in</a>" in html
    assert "Sign out" not in html


def test_registration_welcomes_the_new_customer_once_the_email_is_confirmed(
    client, db, mailoutbox
):
    client.post(
        reverse("customer:register"),
        {"email": "new@example.com", "password1": PASSWORD, "password2": PASSWORD},
    )
    [link] = re.findall(r"https?://\S+/accounts/activate/\S+/", mailoutbox[-1].body)

    response = client.get(urlsplit(link).path, follow=True)

    assert response.status_code == 200
    assert "Welcome, your account is ready" in response.content.decode()


def test_registration_labels_are_not_marked_as_errors(client, db):
    html = client.get(reverse("customer:register")).content.decode()
    assert 'class="required"' not in html.replace('<span class="required"', "")
