"""Our own 403, 404 and 500 pages; the 500 page needs no database."""

import pytest
from django.test import Client

from tests.factories import UserFactory

FOOTER = 'class="site-footer"'


@pytest.mark.django_db
def test_404_is_our_page(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "We can't find that page" in html
    assert FOOTER in html and 'role="search"' in html


@pytest.mark.django_db
def test_a_refused_staff_member_sees_the_403_in_the_back_offices_layout(client):
    client.force_login(UserFactory(is_staff=True))
    response = client.get("/admin/checkout/queueorder/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "You can&#x27;t open this page" in html
    assert 'id="site-name"' in html and "back office" in html
    assert FOOTER not in html


@pytest.mark.django_db
def test_signed_in_customer_opening_the_password_reset_sees_our_page(client):
    client.force_login(UserFactory())
    response = client.get("/password-reset/")
    assert response.status_code == 403
    assert "You are already signed in" in response.content.decode()


@pytest.mark.django_db
def test_500_is_our_static_page_with_the_database_down(django_db_blocker):
    client = Client(raise_request_exception=False)
    with django_db_blocker.block():
        response = client.get("/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Sorry, something went wrong on our side" in html
    assert FOOTER in html
    assert "/static/css/site.css" in html
