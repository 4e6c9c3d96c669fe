"""Caching what catalogue pages show, invalidated by version bumps.

Only shared catalogue data is cached (price tables, monographs, review
summaries, and whole pages as any anonymous visitor sees them, with the CSRF
token taken out): never anything personal. Each product has a version; a
listing version covers every product. A change bumps exactly the versions it
affects, so the next read recomputes. Versions live in the same cache (Redis in
production), so every app server sees a bump at once. Without a shared cache
the "catalog" alias is a dummy and nothing is cached, which is always correct.
"""

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any, TypeVar

from django.core.cache import caches
from django.db import transaction
from django.db.models.signals import post_delete, post_save

T = TypeVar("T")
TIMEOUT = 60 * 60
LISTING = "listing"


def _cache():
    return caches["catalog"]


def _version_key(scope: str) -> str:
    return f"catalog:v:{scope}"


def _version(scope: str) -> int:
    cache = _cache()
    key = _version_key(scope)
    version = cache.get(key)
    if version is None:
        cache.add(key, _first_version(), None)
        version = cache.get(key) or 1
    return version


def _first_version() -> int:
    # A version key lost to eviction or a flush starts again from a number
    # no earlier version had, so nothing stored under the old one matches.
    return time.time_ns()


def bump(*scopes: str) -> None:
    """New versions for these scopes: now, so this transaction reads its own
    change, and again on commit, because a concurrent reader may have cached
    the old committed data under the first new version."""

    def _bump():
        memo = _request_memo.get()
        if memo:
            memo.clear()
        cache = _cache()
        for scope in scopes:
            try:
                cache.incr(_version_key(scope))
            except ValueError:
                cache.set(_version_key(scope), _first_version(), None)

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


def cached(
    *,
    name: str,
    scopes: list[str],
    compute: Callable[[], T],
    every_request: bool = False,
) -> T:
    """The value computed at the scopes' current versions. The versions and the
    value come back in one round trip (the value is stored beside the versions
    it was computed at, read before computing), and a request asks at most
    once per name (see RequestMemoMiddleware).

    every_request: reference data that nearly every basket and checkout
    request reads (licensed states, whether offers exist). Once asked for, it
    comes with the first cached() call of each later request, in that call's
    round trip."""
    memo = _request_memo.get()
    memo_key = (name, *scopes)
    if memo is not None and memo_key in memo:
        return memo[memo_key]
    if every_request:
        _every_request[memo_key] = (name, scopes)
    keys = _version_keys(scopes)
    value_key = _value_key(name, scopes)
    if memo is not None and _PRELOADED not in memo:
        found = _preload(memo, also=[*keys, value_key])
        if memo_key in memo:
            return memo[memo_key]
    else:
        found = _cache().get_many([*keys, value_key])
    current = tuple(
        found.get(key) or _version(scope)
        for key, scope in zip(keys, scopes, strict=True)
    )
    stored = found.get(value_key)
    if stored is not None and stored[0] == current:
        value = stored[1]
    else:
        value = compute()
        _cache().set(value_key, (current, value), TIMEOUT)
    if memo is not None:
        memo[memo_key] = value
    return value


def _value_key(name: str, scopes: list[str]) -> str:
    return f"catalog:value:{name}:" + ".".join(scopes)


# (name, *scopes) -> (name, scopes) of the entries asked for with every_request.
_every_request: dict[tuple, tuple[str, list[str]]] = {}
_PRELOADED = ("every-request entries read",)


def _preload(memo: dict, *, also: list[str]) -> dict:
    """Read every every_request entry, and the keys in `also`, in one round
    trip; the entries stored at their scopes' current versions go into this
    request's memo. Returns what was read."""
    memo[_PRELOADED] = True
    entries = list(_every_request.values())
    scopes = sorted({scope for _, entry_scopes in entries for scope in entry_scopes})
    value_keys = [_value_key(name, entry_scopes) for name, entry_scopes in entries]
    found = _cache().get_many([*_version_keys(scopes), *value_keys, *also])
    for (name, entry_scopes), value_key in zip(entries, value_keys, strict=True):
        stored = found.get(value_key)
        current = tuple(found.get(key) for key in _version_keys(entry_scopes))
        if stored is not None and None not in current and stored[0] == current:
            memo[(name, *entry_scopes)] = stored[1]
    return found


# What this request has already read through cached(); None outside a request.
_request_memo: ContextVar[dict | None] = ContextVar("catalog_memo", default=None)


class RequestMemoMiddleware:
    """Keeps each cached() answer for the rest of the request: a checkout step
    asks for the same reference data (licensed states, withdrawn strengths,
    whether offers exist) from several places. A bump clears it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request_memo.set({})
        try:
            return self.get_response(request)
        finally:
            _request_memo.reset(token)


def rows_scope(*, model) -> str:
    """The scope renewed by rows_changed: any save or delete of the model."""
    return f"rows:{model._meta.label_lower}"


def rows_exist(*, model) -> bool:
    """Whether the model's table has any row at all. Features a shop may not
    use (offers, product options) skip their queries while it has none;
    rows_changed, sent on every save and delete, keeps the answer current."""
    scope = rows_scope(model=model)
    return cached(
        name=scope,
        scopes=[scope],
        compute=model._default_manager.exists,
        every_request=True,
    )


def rows_changed(*, model) -> None:
    bump(rows_scope(model=model))


def rows_watch(*models) -> None:
    """Renew rows_scope(model) on every save and delete of these models, for
    reference data read through cached() (call from an AppConfig.ready)."""
    for model in models:
        for signal in (post_save, post_delete):
            signal.connect(
                _rows_changed_receiver,
                sender=model,
                dispatch_uid=f"rows-watch:{model._meta.label_lower}:{id(signal)}",
            )


def _rows_changed_receiver(sender, **kwargs) -> None:
    rows_changed(model=sender)


def _version_keys(scopes: list[str]) -> list[str]:
    return [_version_key(scope) for scope in scopes]


def versions(scopes: list[str]) -> tuple[int, ...]:
    """The current version of each scope, in one round trip; a scope never
    bumped, or whose version was lost, gets a first version then."""
    keys = _version_keys(scopes)
    found = _cache().get_many(keys)
    return tuple(
        found.get(key) or _version(scope)
        for key, scope in zip(keys, scopes, strict=True)
    )


def _page_key(name: str) -> str:
    return f"catalog:shared-page:{name}"


def shared_page(*, name: str, scopes: list[str]) -> Any:
    """The page stored under this name, or None unless it was rendered at the
    scopes' current versions. The versions and the page come back in one round
    trip, which is why the page is stored beside its versions rather than
    under a key made from them. A page this process has read or rendered
    before is kept here too: then only its versions are read."""
    keys = _version_keys(scopes)
    local = _local_pages.get(name)
    if local is not None:
        found = _cache().get_many(keys)
        if local[0] == tuple(found.get(key) for key in keys):
            return local[1]
    page_key = _page_key(name)
    found = _cache().get_many([*keys, page_key])
    stored = found.get(page_key)
    if stored is None:
        return None
    rendered_at, page = stored
    current = tuple(found.get(key) for key in keys)
    if rendered_at != current:
        return None
    _local_pages.put(name, stored)
    return page


class _LocalPages:
    """The last few shared pages this process served, by name."""

    def __init__(self, size: int):
        self.size = size
        self._pages: OrderedDict[str, tuple] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, name: str) -> tuple | None:
        with self._lock:
            found = self._pages.get(name)
            if found is not None:
                self._pages.move_to_end(name)
            return found

    def put(self, name: str, stored: tuple) -> None:
        with self._lock:
            self._pages[name] = stored
            self._pages.move_to_end(name)
            while len(self._pages) > self.size:
                self._pages.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()


# About 35 KB a product page: a few megabytes per process at most.
_local_pages = _LocalPages(size=64)


def share_page(*, name: str, rendered_at: tuple[int, ...], page: Any) -> None:
    """Store a page rendered from data read at ``rendered_at`` (taken with
    ``versions`` before rendering, so a change made meanwhile is never hidden)."""
    _cache().set(_page_key(name), (rendered_at, page), TIMEOUT)
    _local_pages.put(name, (rendered_at, page))
