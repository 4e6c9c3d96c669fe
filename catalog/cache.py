"""Caching what catalogue pages show, invalidated by version bumps.

Only shared catalogue data is cached (price tables, monographs, review
summaries): never a whole page, never anything personal, never a CSRF token.
Each product has a version; a listing version covers every product. A change
bumps exactly the versions it affects, so the next read recomputes. Versions
live in the same cache (Redis in production), so every app server sees a bump
at once. Without a shared cache the "catalog" alias is a dummy and nothing is
cached, which is always correct.
"""

from collections.abc import Callable
from typing import TypeVar

from django.core.cache import caches
from django.db import transaction

T = TypeVar("T")
TIMEOUT = 60 * 60
LISTING = "listing"


def _cache():
    return caches["catalog"]


def _version(scope: str) -> int:
    cache = _cache()
    key = f"catalog:v:{scope}"
    version = cache.get(key)
    if version is None:
        cache.add(key, 1, None)
        version = cache.get(key) or 1
    return version


def bump(*scopes: str) -> None:
    """New versions for these scopes: now, so this transaction reads its own
    change, and again on commit, because a concurrent reader may have cached
    the old committed data under the first new version."""

    def _bump():
        cache = _cache()
        for scope in scopes:
            key = f"catalog:v:{scope}"
            try:
                cache.incr(key)
            except ValueError:
                cache.set(key, 2, None)

    _bump()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(_bump)


def product_scope(product_id: int) -> str:
    return f"product:{product_id}"


def reviews_scope(product_id: int) -> str:
    return f"reviews:{product_id}"


def product_changed(*, product_id: int) -> None:
    """Prices, stock, availability or monograph of a drug changed."""
    bump(product_scope(product_id), LISTING)


def reviews_changed(*, product_id: int) -> None:
    bump(reviews_scope(product_id))


def cached(*, name: str, scopes: list[str], compute: Callable[[], T]) -> T:
    return _cache().get_or_set(_key(name, scopes), compute, TIMEOUT)


def _key(name: str, scopes: list[str]) -> str:
    # One round trip for all the versions; a scope never bumped is version 1.
    keys = [f"catalog:v:{scope}" for scope in scopes]
    found = _cache().get_many(keys)
    versions = [
        str(found.get(key) or _version(scope))
        for key, scope in zip(keys, scopes, strict=True)
    ]
    return f"catalog:{name}:" + ".".join(versions)


def peek(*, name: str, scopes: list[str]):
    return _cache().get(_key(name, scopes))


def store(*, name: str, scopes: list[str], value) -> None:
    _cache().set(_key(name, scopes), value, TIMEOUT)
