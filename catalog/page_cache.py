"""Shared catalogue pages: anonymous visitors share one rendering of a page,
stored beside the catalogue version it was rendered at (pharmacy/core/cache.py)
and served only while that version is current; each hit swaps in the
visitor's CSRF token. The catalogue views mix SharedPageCacheMixin in.

Answered before the view
------------------------
Nothing. No middleware answers a request from the cache: every request goes
through the whole middleware stack (sessions, CSRF, security headers, CSP,
the basket, django-axes) and into the view's dispatch, where a shared page
is looked up. A hit there skips only the view's own reads and rendering.

Which requests share a page: a GET from a visitor who is not signed in and
has no flash message waiting, whose query string holds only the parameters
the view names in ``cached_params``, each with a value its check accepts.
The stored page is keyed by the path, those parameters, the number of items
in the visitor's basket (shown in the header) and the store's market.
"""

import hashlib
import re
from collections.abc import Callable

from django.conf import settings
from django.http import HttpResponse, HttpResponseRedirect
from django.middleware.csrf import get_token
from django.utils.http import urlencode

from catalog import markets
from pharmacy.core import cache as catalog_cache

# The value of each form's CSRF input, which differs for every visitor.
CSRF_TOKEN_VALUE = re.compile(rb'(?<=name="csrfmiddlewaretoken" value=")[^"]*(?=")')


def _shareable(request) -> bool:
    """Whether this visitor sees the same page as any other anonymous visitor
    with the same basket size: no account, no flash messages waiting."""
    if request.method != "GET" or "messages" in request.COOKIES:
        return False
    if request.user.is_authenticated:
        return False
    session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    return not (session_key and request.session.get("_messages"))


def _basket_size(request) -> int:
    # Only anonymous visitors get here, and their basket lives behind Oscar's
    # cookie: without it there is none, and no need to build one.
    if settings.OSCAR_BASKET_COOKIE_OPEN not in request.COOKIES:
        return 0
    return request.basket.num_items


def _page_key(request, query: dict[str, str]) -> str:
    canonical = urlencode(sorted(query.items()))
    variant = (
        f"{request.path}?{canonical}|basket={_basket_size(request)}"
        f"|market={markets.current_market()}"
    )
    return "shared-page:" + hashlib.sha256(variant.encode()).hexdigest()[:32]


def _without_params(request, drop: set[str]) -> str:
    kept = [(k, v) for k, v in request.GET.items() if k not in drop]
    return request.path + (f"?{urlencode(kept)}" if kept else "")


class SharedPageCacheMixin:
    """Anonymous visitors share one rendering of a catalogue page, stored with
    the catalogue version it shows, so any change is seen at once. The only
    per-visitor part, the CSRF token, is swapped in on every hit; signed-in
    visitors and anyone with a message waiting always get a fresh page.

    Only the query parameters a page reads are part of its cache key, so junk
    query strings cannot fill the cache: ``cached_params`` name them, each
    with a check of its value (a value that fails renders uncached);
    ``uncached_params`` are read by the page but always render fresh; any
    other parameter is redirected away to the canonical URL."""

    cached_params: dict[str, Callable[[str], bool]] = {}
    uncached_params: frozenset[str] = frozenset()

    def _cache_query(self, request) -> dict[str, str] | None:
        """The query as the cache key uses it, or None to render uncached."""
        query = {}
        for key in request.GET:
            values = request.GET.getlist(key)
            if key in self.uncached_params or len(values) != 1:
                return None
            if not self.cached_params[key](values[0]):
                return None
            query[key] = values[0]
        return query

    def dispatch(self, request, *args, **kwargs):
        if request.method == "GET":
            unknown = set(request.GET) - set(self.cached_params) - self.uncached_params
            if unknown:
                return HttpResponseRedirect(_without_params(request, unknown))
        query = self._cache_query(request) if _shareable(request) else None
        if query is None:
            return super().dispatch(request, *args, **kwargs)
        key = _page_key(request, query)
        pieces = catalog_cache.shared_page_get(key=key)
        if pieces is not None:
            return HttpResponse(get_token(request).encode().join(pieces))
        # The version first: a change committed while rendering leaves the
        # stored page stale at once.
        rendered_at = catalog_cache.catalogue_version()
        response = super().dispatch(request, *args, **kwargs)
        if response.status_code != 200 or not hasattr(response, "render"):
            return response
        response.render()
        # Each {% csrf_token %} masks the token afresh: a hit puts its own in
        # all, between the pieces.
        catalog_cache.shared_page_store(
            key=key,
            rendered_at=rendered_at,
            page=tuple(CSRF_TOKEN_VALUE.split(response.content)),
        )
        return response
