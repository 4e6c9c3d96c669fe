"""The shared page cache keeps only the query strings a page reads."""

import pytest
from django.core.cache import caches

pytestmark = pytest.mark.django_db


def shared_pages() -> int:
    cache = caches["catalog"]
    return sum(1 for key in cache._cache if "shared-page" in key)


def test_junk_query_parameters_redirect_to_the_canonical_url(client, product):
    url = product.get_absolute_url()

    response = client.get(url + "?utm_source=x&sort=highest&junk=1")

    assert response.status_code == 302
    assert response["Location"] == url + "?sort=highest"


def test_junk_query_strings_store_no_new_pages(client, product):
    url = product.get_absolute_url()
    client.get(url)
    stored = shared_pages()

    for n in range(20):
        client.get(f"{url}?x{n}=1", follow=True)
        client.get(f"{url}?sort=nonsense{n}")
        client.get(f"{url}?reviews_page=9{n}999")

    assert shared_pages() == stored


def test_the_parameters_a_page_reads_are_still_cached(client, product):
    url = product.get_absolute_url()
    before = shared_pages()

    client.get(url + "?sort=highest")
    client.get(url + "?sort=highest")

    assert shared_pages() == before + 1


def test_the_catalogue_caches_page_numbers_only(client, product):
    assert client.get("/catalogue/?page=1").status_code == 200
    assert client.get("/catalogue/?q=anything").status_code == 302
