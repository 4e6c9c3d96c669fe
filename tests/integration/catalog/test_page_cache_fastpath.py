"""The shared page cache's fast path: a hit skips the database and renders
nothing, yet every form on it works for its visitor and no change is missed."""

import re

import pytest
from django.conf import settings
from django.test import Client

from pharmacy.core import cache as catalog_cache
from tests.factories import make_drug
from tests.html import parse

pytestmark = pytest.mark.django_db


def forms(page: str) -> dict[str, str]:
    """Each form's action and the CSRF token it carries."""
    return {
        form.attrs["action"]: next(
            node.attrs["value"]
            for node in form.walk()
            if node.attrs.get("name") == "csrfmiddlewaretoken"
        )
        for form in parse(page).walk()
        if form.tag == "form" and form.attrs.get("method") == "post"
    }


@pytest.mark.parametrize("path", ["/", "/catalogue/", "product"])
def test_a_cached_page_is_served_without_touching_the_database(
    client, django_assert_num_queries, path
):
    product = make_drug().product
    url = product.get_absolute_url() if path == "product" else path
    first = client.get(url).content.decode()

    with django_assert_num_queries(0):
        again = client.get(url).content.decode()

    assert "Baclofen" in again
    assert re.sub(r'value="[^"]*"', "", again) == re.sub(r'value="[^"]*"', "", first)


def test_every_form_on_a_cached_page_accepts_its_visitors_token():
    product = make_drug().product
    Client().get(product.get_absolute_url())  # fills the cache
    visitor = Client(enforce_csrf_checks=True)

    tokens = forms(visitor.get(product.get_absolute_url()).content.decode())

    assert len(tokens) == 2  # buy and review
    for action, token in tokens.items():
        response = visitor.post(action, {"csrfmiddlewaretoken": token})
        assert response.status_code != 403, action


def test_a_cached_page_keeps_the_visitors_csrf_cookie_so_older_tabs_still_work():
    product = make_drug().product
    url = product.get_absolute_url()
    visitor = Client(enforce_csrf_checks=True)
    older_tab = forms(visitor.get(url).content.decode())  # renders and fills
    secret = visitor.cookies[settings.CSRF_COOKIE_NAME].value

    visitor.get(url)

    assert visitor.cookies[settings.CSRF_COOKIE_NAME].value == secret
    buy = f"{url}add/"
    response = visitor.post(
        buy,
        {
            "csrfmiddlewaretoken": older_tab[buy],
            "strength": "10",
            "pack": "30",
            "quantity": "1",
        },
    )
    assert response.status_code == 302


def test_a_page_rendered_before_a_change_is_never_served_after_it():
    rendered_at = catalog_cache.catalogue_version()
    catalog_cache.catalogue_version_bump()  # while it rendered

    catalog_cache.shared_page_store(key="p", rendered_at=rendered_at, page=("old",))

    assert catalog_cache.shared_page_get(key="p") is None
    fresh = catalog_cache.catalogue_version()
    catalog_cache.shared_page_store(key="p", rendered_at=fresh, page=("new",))
    assert catalog_cache.shared_page_get(key="p") == ("new",)


def test_text_shaped_like_a_token_slot_is_shown_as_written(client):
    """Only the value of a real CSRF input is per visitor; page text is not."""
    drug = make_drug(sections=1)
    section = drug.sections.get()
    section.body = "Keep __csrf_token_placeholder__ and csrfmiddlewaretoken as typed."
    section.save()
    url = drug.product.get_absolute_url()
    client.get(url)

    page = Client().get(url).content.decode()

    assert "Keep __csrf_token_placeholder__ and csrfmiddlewaretoken as typed." in page
