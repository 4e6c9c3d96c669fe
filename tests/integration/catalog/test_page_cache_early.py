"""A visitor with no cookies gets a stored shared page from
SharedPageMiddleware, before the basket, Axes and the view; with the same
headers, cookie and page as the view gives, and never a stale one."""

from decimal import Decimal
from unittest import mock

import pytest
from django.conf import settings
from django.test import Client

from catalog.partner.models import StockRecord
from catalog.views import CatalogueView, ProductDetailView
from tests.factories import make_drug

pytestmark = pytest.mark.django_db


@pytest.fixture
def product():
    drug = make_drug()
    Client().get(drug.product.get_absolute_url())  # stored as on a live site
    return drug.product


def view_not_reached():
    return mock.patch.object(
        ProductDetailView, "dispatch", side_effect=AssertionError("view reached")
    )


def test_a_first_visit_is_answered_before_the_view(product):
    with view_not_reached():
        response = Client().get(product.get_absolute_url())

    assert response.status_code == 200
    assert "Baclofen" in response.content.decode()
    # What the middleware above it adds to every response is all there.
    for header in (
        "Content-Security-Policy",
        "Permissions-Policy",
        "X-Frame-Options",
        "X-Content-Type-Options",
    ):
        assert header in response.headers, header
    token = response.cookies[settings.CSRF_COOKIE_NAME].value
    assert token and 'name="csrfmiddlewaretoken"' in response.content.decode()


@pytest.mark.parametrize(
    "cookie", [settings.OSCAR_BASKET_COOKIE_OPEN, settings.SESSION_COOKIE_NAME]
)
def test_a_visitor_with_a_basket_or_a_session_goes_to_the_view(product, cookie):
    visitor = Client()
    visitor.cookies[cookie] = "anything"

    with view_not_reached(), pytest.raises(AssertionError, match="view reached"):
        visitor.get(product.get_absolute_url())


def test_a_parameter_the_page_does_not_read_is_still_redirected_away(product):
    response = Client().get(product.get_absolute_url() + "?utm_source=mail")

    assert response.status_code == 302
    assert response.url == product.get_absolute_url()


def test_a_price_changed_since_is_never_served_from_the_store(product):
    record = StockRecord.objects.filter(product__parent=product).order_by("pk")[0]
    record.price = Decimal("41.10")
    record.save()

    page = Client().get(product.get_absolute_url()).content.decode()

    assert "$41.10" in page


def test_the_catalogue_is_answered_before_the_view_too(product):
    Client().get("/catalogue/")
    with mock.patch.object(
        CatalogueView, "dispatch", side_effect=AssertionError("view reached")
    ):
        response = Client().get("/catalogue/")

    assert response.status_code == 200
    assert "Baclofen" in response.content.decode()
