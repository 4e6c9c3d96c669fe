"""The catalogue version, and what is stored under it: shared pages, and the
reference data a shopper's every request reads.

One number in the shared cache (the "catalog" alias: Redis in production)
stands for everything the shop shows and sells from: the catalogue, reviews,
offers and the state licences. Every write to that data bumps it: a model's
save or delete (signals: catalog/receivers.py, pharmacy/compliance/apps.py),
and a queryset's update(), bulk_update(), bulk_create() or delete() on our
own querysets (VersionedQuerySet). A page or a value is stored beside the
version it was read at and served only while that version is current, so
whatever was written, through whichever path, shows on the next request.

Only pages any anonymous visitor would see are stored, never anything
personal (catalog/page_cache.py says which). Without a shared cache the
alias is Django's dummy cache and nothing is stored, which is always correct.
"""

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from django.core.cache import caches
from django.db import models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

VERSION_KEY = "catalogue-version"
T = TypeVar("T")
# A stored page outlives no version; this only returns the memory of pages
# nobody asks for.
PAGE_TIMEOUT = 60 * 60


def _cache():
    return caches["catalog"]


def catalogue_version_bump() -> None:
    """A new catalogue version: now, so this transaction's own next read sees
    its change, and again on commit, because a concurrent request may have
    stored the old committed data under the first new version."""
    _version_bump()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(_version_bump)


def _version_bump() -> None:
    try:
        _cache().incr(VERSION_KEY)
    except ValueError:  # never set, evicted or flushed
        _cache().set(VERSION_KEY, _first_version(), None)


def _first_version() -> int:
    # A version lost to eviction or a flush starts again from a number no
    # earlier version had, so no page stored under an old one matches.
    return time.time_ns()


def catalogue_version() -> int:
    """The current catalogue version (set now if the cache has none)."""
    version = _cache().get(VERSION_KEY)
    if version is None:
        _cache().add(VERSION_KEY, _first_version(), None)
        version = _cache().get(VERSION_KEY) or 0
    return version


_NOT_STORED = object()


def _at_current_version(key: str) -> tuple[int | None, Any]:
    """(the current version, or None if the cache has none; what is stored
    under `key` if it was stored at that version, else _NOT_STORED), in one
    round trip: everything is stored beside the version it was read at."""
    found = _cache().get_many([VERSION_KEY, key])
    version, stored = found.get(VERSION_KEY), found.get(key)
    if version is None or stored is None or stored[0] != version:
        return version, _NOT_STORED
    return version, stored[1]


def shared_page_get(*, key: str) -> Any | None:
    """The page stored under `key`, if it was rendered at the current
    catalogue version; else None. One round trip to the cache."""
    _, page = _at_current_version(key)
    return None if page is _NOT_STORED else page


def shared_page_store(*, key: str, rendered_at: int, page: Any) -> None:
    """Store a page rendered from data read at version `rendered_at` (read
    with catalogue_version() before rendering, so that a change committed
    meanwhile leaves the page already stale)."""
    _cache().set(key, (rendered_at, page), PAGE_TIMEOUT)


def versioned(*, key: str, compute: Callable[[], T]) -> T:
    """``compute()``'s value, stored beside the catalogue version it was read
    at: the version and the value come back in one round trip, and a value
    stored under an older version is computed again. For reference data read
    on every shopper's request (a drug's strengths, the licensed states); a
    decision that must see the table itself (placing an order) reads it
    directly instead."""
    version, value = _at_current_version(key)
    if value is not _NOT_STORED:
        return value
    if version is None:
        version = catalogue_version()
    # Read after the version: a change committed meanwhile bumps it again, so
    # this value is stale at once rather than served under the new version.
    value = compute()
    _cache().set(key, (version, value), PAGE_TIMEOUT)
    return value


# Set while a write's own post_save signal decides whether to bump.
_updates_left_to_post_save: ContextVar[bool] = ContextVar(
    "updates_left_to_post_save", default=False
)


@contextmanager
def updates_left_to_post_save() -> Iterator[None]:
    """For a write that updates a row with QuerySet.update() and then sends
    that row's post_save, as Oscar's stock allocation does: the update does
    not bump the version, and the post_save receiver decides instead (a sale
    that leaves a pack in stock changes nothing a page shows)."""
    token = _updates_left_to_post_save.set(True)
    try:
        yield
    finally:
        _updates_left_to_post_save.reset(token)


class VersionedQuerySet(models.QuerySet):
    """A QuerySet whose bulk writes bump the catalogue version, as a model's
    save and delete do through their signals: update(), bulk_update(),
    bulk_create() and delete() send no per-row signal."""

    def update(self, **kwargs):
        rows = super().update(**kwargs)
        if not _updates_left_to_post_save.get():
            catalogue_version_bump()
        return rows

    update.alters_data = True

    def bulk_update(self, objs, fields, batch_size=None):
        rows = super().bulk_update(objs, fields, batch_size=batch_size)
        catalogue_version_bump()
        return rows

    bulk_update.alters_data = True

    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        catalogue_version_bump()
        return created

    bulk_create.alters_data = True

    def delete(self):
        deleted = super().delete()
        catalogue_version_bump()
        return deleted

    delete.alters_data = True


def bumped_by_writes(*models_) -> None:
    """Bump the catalogue version on every save, delete and many-to-many
    change of these models, whoever makes it: our services, the admin, Oscar,
    a shell (call once, from an app's ready()). Their bulk writes bump through
    their querysets (VersionedQuerySet) where the models are ours."""
    for model in models_:
        for signal in (post_save, post_delete):
            signal.connect(
                _written,
                sender=model,
                dispatch_uid=f"catalogue-version:{model._meta.label}",
            )
        for field in model._meta.many_to_many:
            through = field.remote_field.through
            m2m_changed.connect(
                _written,
                sender=through,
                dispatch_uid=f"catalogue-version:{through._meta.label}",
            )


def _written(sender, **kwargs) -> None:
    catalogue_version_bump()
