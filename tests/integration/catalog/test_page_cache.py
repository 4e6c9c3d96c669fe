"""Anonymous visitors share cached catalogue pages; nothing personal is shared."""

import re

import pytest
from django.test import Client

from tests.factories import UserFactory, make_drug

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def add(client, product, token):
    return client.post(
        f"{product.get_absolute_url()}add/",
        {"csrfmiddlewaretoken": token, "strength": "10", "pack": "30", "quantity": "1"},
    )


def test_a_cached_page_carries_each_visitors_own_working_csrf_token():
    product = make_drug().product
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first_page = first.get(product.get_absolute_url()).content.decode()
    second_page = second.get(product.get_absolute_url()).content.decode()  # cached

    assert "__csrf" not in second_page
    assert add(second, product, TOKEN.search(second_page).group(1)).status_code == 302
    assert add(first, product, TOKEN.search(first_page).group(1)).status_code == 302


def test_the_basket_count_in_the_header_is_not_shared(client):
    product = make_drug().product
    Client().get(product.get_absolute_url())  # an empty-basket visitor fills the cache
    client.post(
        f"{product.get_absolute_url()}add/",
        {"strength": "10", "pack": "30", "quantity": "2"},
    )

    page = client.get(product.get_absolute_url()).content.decode()

    assert "(2 items)" in page
    assert "(2 items)" not in Client().get(product.get_absolute_url()).content.decode()


def test_a_logged_in_customer_never_gets_the_shared_page(client):
    product = make_drug().product
    Client().get(product.get_absolute_url())
    user = UserFactory(first_name="Robin", last_name="Quill")
    client.force_login(user)

    page = client.get(product.get_absolute_url()).content.decode()

    assert "Your account" in page and "Sign in" not in page


def test_a_flash_message_is_shown_to_its_visitor_only(client):
    product = make_drug().product
    Client().get(product.get_absolute_url())
    response = client.post(
        f"{product.get_absolute_url()}add/",
        {"strength": "10", "pack": "45", "quantity": "1"},
        follow=True,
    )

    assert "not available" in response.content.decode()
    assert (
        "not available" not in Client().get(product.get_absolute_url()).content.decode()
    )
