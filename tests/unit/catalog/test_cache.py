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


@pytest.fixture
def no_every_request_entries():
    with mock.patch.dict(cache._every_request, clear=True):
        yield


def test_every_request_entries_come_with_a_requests_first_read(
    no_every_request_entries,
):
    backend = caches["catalog"]
    states, _ = counter()
    offers, _ = counter()

    def first_request():
        cache.cached(name="states", scopes=["s"], compute=states, every_request=True)
        cache.cached(name="offers", scopes=["o"], compute=offers, every_request=True)

    in_request(first_request)

    def later_request():
        with mock.patch.object(backend, "get_many", wraps=backend.get_many) as asks:
            got = [
                cache.cached(name="other", scopes=["x"], compute=lambda: "x"),
                cache.cached(name="states", scopes=["s"], compute=states),
                cache.cached(name="offers", scopes=["o"], compute=offers),
            ]
        return got, asks.call_count

    assert in_request(later_request) == (["x", 1, 1], 1)


def test_an_every_request_entry_changed_since_is_computed_again(
    no_every_request_entries,
):
    compute, calls = counter()

    def read():
        return cache.cached(name="n", scopes=["s"], compute=compute, every_request=True)

    assert in_request(read) == 1
    cache.bump("s")
    assert in_request(read) == 2
    assert in_request(read) == 2
    assert len(calls) == 2
