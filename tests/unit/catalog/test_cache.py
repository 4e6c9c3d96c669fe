"""pharmacy.core.cache: one catalogue version that every write bumps, and
pages stored beside the version they show, never served across a bump."""

import pytest
from django.core.cache import caches
from django.db import transaction

from pharmacy.core import cache


@pytest.fixture(autouse=True)
def empty_cache():
    caches["catalog"].clear()


def test_a_page_is_served_while_its_version_is_current():
    cache.shared_page_store(key="p", rendered_at=cache.catalogue_version(), page="a")

    assert cache.shared_page_get(key="p") == "a"


def test_a_bump_retires_every_stored_page():
    version = cache.catalogue_version()
    cache.shared_page_store(key="p", rendered_at=version, page="a")
    cache.shared_page_store(key="q", rendered_at=version, page="b")

    cache.catalogue_version_bump()

    assert cache.shared_page_get(key="p") is None
    assert cache.shared_page_get(key="q") is None
    assert cache.catalogue_version() != version


def test_a_lost_version_never_matches_a_page_drawn_before_it():
    version = cache.catalogue_version()
    cache.shared_page_store(key="p", rendered_at=version, page="old")
    caches["catalog"].delete(cache.VERSION_KEY)  # evicted, or Redis flushed

    assert cache.shared_page_get(key="p") is None
    assert cache.catalogue_version() != version


@pytest.mark.django_db(transaction=True)
def test_a_bump_inside_a_transaction_bumps_again_on_commit():
    with transaction.atomic():
        cache.catalogue_version_bump()
        # A concurrent request stores what it read, committed data from
        # before this transaction, under the version just bumped.
        seen_inside = cache.catalogue_version()
        cache.shared_page_store(key="p", rendered_at=seen_inside, page="old")

    assert cache.catalogue_version() != seen_inside
    assert cache.shared_page_get(key="p") is None


def test_without_a_shared_cache_nothing_is_served(settings):
    settings.CACHES = {
        **settings.CACHES,
        "catalog": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    }
    cache.shared_page_store(key="p", rendered_at=cache.catalogue_version(), page="a")

    assert cache.shared_page_get(key="p") is None
