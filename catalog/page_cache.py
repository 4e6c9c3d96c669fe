"""Shared catalogue pages: anonymous visitors share one rendering of a page,
stored with the versions of the data it shows (catalog/cache.py), and each
hit swaps in the visitor's CSRF token. The views mix SharedPageCacheMixin in;
SharedPageMiddleware answers a visitor with no cookies before the rest of the
stack."""

import hashlib
import re
from collections.abc import Callable

from django.conf import settings
from django.http import HttpResponse, HttpResponseRedirect
from django.middleware.csrf import get_token
from django.urls import Resolver404, resolve
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
    # A basket never saved has no lines; asking Oscar would still build (and
    # throw away) a whole query for them.
    basket = request.basket
    return basket.num_items if basket.id else 0


def _page_name(request, query: dict[str, str]) -> str:
    canonical = urlencode(sorted(query.items()))
    variant = (
        f"{request.path}?{canonical}|basket={_basket_size(request)}"
        f"|market={markets.current_market()}"
    )
    return "page:" + hashlib.sha256(variant.encode()).hexdigest()[:32]


def _without_params(request, drop: set[str]) -> str:
    kept = [(k, v) for k, v in request.GET.items() if k not in drop]
    return request.path + (f"?{urlencode(kept)}" if kept else "")


def _split_at_csrf_tokens(body: bytes) -> tuple[bytes, ...]:
    """The page in pieces, cut where each form's CSRF token goes, so that a
    hit only has to join them around the visitor's token."""
    return tuple(CSRF_TOKEN_VALUE.split(body))


def _shared_response(*, pieces: tuple[bytes, ...], request) -> HttpResponse:
    return HttpResponse(get_token(request).encode().join(pieces))


class SharedPageCacheMixin:
    """Anonymous visitors share one rendering of a catalogue page, stored with
    the versions of the data it shows, so any change is seen at once. The only
    per-visitor part, the CSRF token, is swapped in on every hit; logged-in
    visitors and anyone with a message waiting always get a fresh page. A hit
    touches no database.

    Only the query parameters a page reads are part of its cache key, so junk
    query strings cannot fill the cache: ``cached_params`` name them, each
    with a check of its value (a value that fails renders uncached);
    ``uncached_params`` are read by the page but always render fresh; any
    other parameter is redirected away to the canonical URL."""

    cached_params: dict[str, Callable[[str], bool]] = {}
    uncached_params: frozenset[str] = frozenset()

    def page_cache_scopes(self) -> list[str]:
        raise NotImplementedError

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
            unknown = self._unknown_params(request)
            if unknown:
                return HttpResponseRedirect(_without_params(request, unknown))
        query = self._cache_query(request) if _shareable(request) else None
        if query is None:
            return super().dispatch(request, *args, **kwargs)
        self.kwargs = kwargs
        name, scopes, hit = self._stored(request, query)
        if hit is not None:
            return hit
        # Versions first: a change committed while rendering then misses.
        rendered_at = catalog_cache.versions(scopes)
        response = super().dispatch(request, *args, **kwargs)
        if response.status_code != 200 or not hasattr(response, "render"):
            return response
        response.render()
        # Each {% csrf_token %} masks the token afresh: a hit puts its own in all.
        catalog_cache.share_page(
            name=name,
            rendered_at=rendered_at,
            page=_split_at_csrf_tokens(response.content),
        )
        return response

    def early_hit(self, request) -> HttpResponse | None:
        """The stored page for a visitor SharedPageMiddleware lets through
        (GET, no session, basket or messages cookie), or None: anything else
        (a miss, a parameter to redirect away or render fresh) is left to
        dispatch."""
        if self._unknown_params(request):
            return None
        query = self._cache_query(request)
        return None if query is None else self._stored(request, query)[2]

    def _stored(self, request, query) -> tuple[str, list[str], HttpResponse | None]:
        """The page's cache name and scopes, and the stored page for this
        visitor if there is a current one."""
        name, scopes = _page_name(request, query), self.page_cache_scopes()
        pieces = catalog_cache.shared_page(name=name, scopes=scopes)
        if pieces is None:
            return name, scopes, None
        return name, scopes, _shared_response(pieces=pieces, request=request)

    def _unknown_params(self, request) -> set[str]:
        return set(request.GET) - set(self.cached_params) - self.uncached_params


# Cookies that can change what a visitor sees on a shared page: a session
# (signed in, or messages waiting), a basket (its size is in the header), and
# messages kept in a cookie.
_STATEFUL_COOKIES = frozenset(
    {
        settings.SESSION_COOKIE_NAME,
        settings.OSCAR_BASKET_COOKIE_OPEN,
        "messages",
    }
)


class SharedPageMiddleware:
    """Serves a stored shared page before the rest of the stack to a visitor
    who brings none of the cookies that could change it: a first visit, a
    link followed from elsewhere, a crawler. The middleware below it (the
    basket, Axes, history) and the view would only have found that page.
    It sits below every middleware that adds a header or cookie to each
    response (security headers, CSRF cookie, CSP, frame options), so a page
    served here carries them all. Anything else goes on down the stack."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "GET" and not _STATEFUL_COOKIES & request.COOKIES.keys():
            response = _early_hit(request)
            if response is not None:
                return response
        return self.get_response(request)


def _early_hit(request) -> HttpResponse | None:
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    view_class = getattr(match.func, "view_class", None)
    if view_class is None or not issubclass(view_class, SharedPageCacheMixin):
        return None
    request.resolver_match = match
    view = view_class(**match.func.view_initkwargs)
    view.setup(request, *match.args, **match.kwargs)
    return view.early_hit(request)
