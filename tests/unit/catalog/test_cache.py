"""pharmacy.core.cache.cached(): computed once per version, asked once per request,
and never served across a bump."""

from unittest import mock

import pytest
from django.core.cache import caches

from pharmacy.core import cache


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


@pytest.fixture
def fresh_local_pages():
    cache._local_pages.clear()
    yield
    cache._local_pages.clear()


def share(name="page:p", scopes=("product:1",), page="<p>v1</p>"):
    cache.share_page(name=name, rendered_at=cache.versions(list(scopes)), page=page)


def test_a_page_this_process_holds_is_checked_by_its_versions_only(
    fresh_local_pages,
):
    share()
    backend = caches["catalog"]

    with mock.patch.object(backend, "get_many", wraps=backend.get_many) as asks:
        page = cache.shared_page(name="page:p", scopes=["product:1"])

    assert page == "<p>v1</p>"
    (asked,) = asks.call_args.args
    assert not any("shared-page" in key for key in asked)


def test_a_page_held_here_is_not_served_after_a_change(fresh_local_pages):
    share()
    cache.bump("product:1")

    assert cache.shared_page(name="page:p", scopes=["product:1"]) is None

    share(page="<p>v2</p>")
    assert cache.shared_page(name="page:p", scopes=["product:1"]) == "<p>v2</p>"


def test_a_page_rendered_by_another_process_is_read_from_the_shared_cache(
    fresh_local_pages,
):
    share()
    cache._local_pages.clear()  # as another app server that never drew it

    assert cache.shared_page(name="page:p", scopes=["product:1"]) == "<p>v1</p>"


def test_a_lost_version_never_matches_a_page_drawn_before_it(fresh_local_pages):
    share()
    # Evicted or flushed: the next version starts from a number no page has.
    caches["catalog"].delete("catalog:v:product:1")
    cache.versions(["product:1"])  # as the next rendering reads them

    assert cache.shared_page(name="page:p", scopes=["product:1"]) is None
