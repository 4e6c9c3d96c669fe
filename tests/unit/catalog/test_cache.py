"""catalog.cache.cached(): computed once per version, asked once per request,
and never served across a bump."""

from unittest import mock

import pytest
from django.core.cache import caches

from catalog import cache


@pytest.fixture(autouse=True)
def empty_cache():
    caches["catalog"].clear()


def counter():
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    return compute, calls


def test_a_value_is_computed_once_until_its_scope_changes():
    compute, calls = counter()
    assert cache.cached(name="n", scopes=["s"], compute=compute) == 1
    assert cache.cached(name="n", scopes=["s"], compute=compute) == 1
    cache.bump("s")
    assert cache.cached(name="n", scopes=["s"], compute=compute) == 2
    assert len(calls) == 2


def test_the_same_name_under_other_scopes_is_another_value():
    assert cache.cached(name="n", scopes=["a"], compute=lambda: "a") == "a"
    assert cache.cached(name="n", scopes=["b"], compute=lambda: "b") == "b"
    assert cache.cached(name="n", scopes=["a"], compute=lambda: "x") == "a"


def in_request(body):
    return cache.RequestMemoMiddleware(lambda request: body())(object())


def test_a_request_asks_the_cache_once_per_value():
    compute, _ = counter()
    backend = caches["catalog"]

    def body():
        with mock.patch.object(backend, "get_many", wraps=backend.get_many) as asks:
            for _ in range(3):
                cache.cached(name="n", scopes=["s"], compute=compute)
        return asks.call_count

    assert in_request(body) == 1


def test_a_change_made_during_the_request_is_read_back_at_once():
    compute, _ = counter()

    def body():
        first = cache.cached(name="n", scopes=["s"], compute=compute)
        cache.bump("s")
        return first, cache.cached(name="n", scopes=["s"], compute=compute)

    assert in_request(body) == (1, 2)


def test_outside_a_request_nothing_is_kept_in_memory():
    compute, _ = counter()
    cache.cached(name="n", scopes=["s"], compute=compute)
    caches["catalog"].clear()
    assert cache.cached(name="n", scopes=["s"], compute=compute) == 2
