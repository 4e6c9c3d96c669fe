"""The production cache backend: Django's Redis cache reusing one redis-py
client, so a cache call costs a round trip and not a client's construction."""

import socket

import pytest
import redis

from pharmacy.core.cache_backends import RedisCache

# A Redis database of its own (bench uses 5, the functional tests 9).
LOCATION = "redis://127.0.0.1:6379/12"


@pytest.fixture
def cache():
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError as exc:
        pytest.skip(f"needs Redis on 127.0.0.1:6379 ({exc})")
    cache = RedisCache(LOCATION, {"KEY_PREFIX": "backend-test"})
    yield cache
    cache.clear()


def test_reads_and_writes_go_through_redis(cache):
    cache.set("page", (b"<p>", b"</p>"))
    cache.set("version", 1, None)
    cache.incr("version")

    assert cache.get_many(["page", "version", "missing"]) == {
        "page": (b"<p>", b"</p>"),
        "version": 2,
    }
    assert RedisCache(LOCATION, {"KEY_PREFIX": "backend-test"}).get("version") == 2


def test_many_calls_build_one_client(cache, monkeypatch):
    built = []
    monkeypatch.setattr(
        cache._cache, "_client", lambda **kw: built.append(1) or redis.Redis(**kw)
    )

    for n in range(5):
        cache.set(f"k{n}", n)
        cache.get_many([f"k{n}", "other"])

    assert len(built) == 1
