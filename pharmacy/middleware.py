"""Request-wide security rules: staff session lifetime, Content-Security-Policy,
Permissions-Policy, and the basket cookie's SameSite attribute."""

import functools
import time

from csp import middleware as csp_middleware
from csp.constants import HEADER as CSP_HEADER
from django.conf import settings
from django.contrib.auth import logout
from django.core.signals import setting_changed
from django.core.signing import BadSignature, Signer
from django.dispatch import receiver
from oscar.apps.basket.middleware import BasketMiddleware as OscarBasketMiddleware

from checkout.basket import reads as basket_reads

# When this session's staff sign-in started, and when it was last used (epoch s).
STAFF_SIGNED_IN_AT = "pharmacy_staff_signed_in_at"
STAFF_LAST_SEEN_AT = "pharmacy_staff_last_seen_at"


def staff_session_expired(
    *, signed_in_at: float, last_seen_at: float, now: float
) -> bool:
    """A staff session ends after STAFF_SESSION_IDLE_SECONDS without a request,
    or STAFF_SESSION_MAX_SECONDS after sign-in, whichever comes first."""
    idle = now - last_seen_at > settings.STAFF_SESSION_IDLE_SECONDS
    too_old = now - signed_in_at > settings.STAFF_SESSION_MAX_SECONDS
    return idle or too_old


class StaffSessionExpiryMiddleware:
    """Signs staff out after 30 idle minutes or 12 hours. Customers' sessions
    keep Django's default lifetime: they hold a basket, not health data."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Without a session cookie nobody is signed in: don't load the user.
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_staff:
            now = time.time()
            session = request.session
            signed_in_at = session.get(STAFF_SIGNED_IN_AT, now)
            last_seen_at = session.get(STAFF_LAST_SEEN_AT, now)
            if staff_session_expired(
                signed_in_at=signed_in_at, last_seen_at=last_seen_at, now=now
            ):
                logout(request)
            else:
                session[STAFF_SIGNED_IN_AT] = signed_in_at
                session[STAFF_LAST_SEEN_AT] = now
                # The cookie dies with the idle limit too, so a closed laptop
                # does not keep a live session cookie for two weeks.
                session.set_expiry(settings.STAFF_SESSION_IDLE_SECONDS)
        return self.get_response(request)


class CSPMiddleware(csp_middleware.CSPMiddleware):
    """django-csp's middleware, with the policy from the settings built once:
    building it on every response took 7% of a cached product page (py-spy
    on a gunicorn worker). A response or request that carries its own policy
    parts (django-csp's decorators, a nonce) or a report-only policy is
    handled by django-csp as ever."""

    def process_response(self, request, response):
        own_parts = any(
            getattr(response, f"_csp_{part}{ro}", None) is not None
            for part in ("config", "update", "replace")
            for ro in ("", "_ro")
        )
        if (
            own_parts
            or getattr(request, "_csp_nonce", None) is not None
            # django-csp leaves Django's debug pages alone
            or (settings.DEBUG and response.status_code in (404, 500))
            or getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
            or (settings.CONTENT_SECURITY_POLICY or {}).get("EXCLUDE_URL_PREFIXES")
        ):
            return super().process_response(request, response)
        if CSP_HEADER not in response and not getattr(response, "_csp_exempt", False):
            response[CSP_HEADER] = _settings_policy()
        # As django-csp does: a nonce asked for after this would not be sent.
        request.csp_nonce = csp_middleware.CheckableLazyObject(
            self._csp_nonce_post_response
        )
        return response


@functools.cache
def _settings_policy() -> str:
    return csp_middleware.build_policy()


@receiver(setting_changed)
def _csp_settings_changed(*, setting, **kwargs):
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _settings_policy.cache_clear()


class PermissionsPolicyMiddleware:
    """Turns off the browser features the store never uses, on every response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class BasketMiddleware(OscarBasketMiddleware):
    """Oscar's basket middleware, with SameSite on the basket cookie (Oscar
    has no setting for it): the cookie is not sent on cross-site posts. A
    guest's basket is read with its patient and prescription, by SQL compiled
    once (checkout/basket/reads.py)."""

    def get_cookie_basket(self, cookie_key, request, manager):
        basket_hash = request.COOKIES.get(cookie_key)
        if basket_hash is None:
            return None
        try:
            basket_id = int(Signer().unsign(basket_hash))
        except (BadSignature, ValueError):
            basket_id = None
        basket = (
            basket_reads.open_guest_basket(basket_id=basket_id)
            if basket_id is not None
            else None
        )
        if basket is None:
            request.cookies_to_delete.append(cookie_key)
        return basket

    def __call__(self, request):
        response = super().__call__(request)
        cookie = response.cookies.get(self.get_cookie_key(request))
        if cookie is not None and cookie.value:
            cookie["samesite"] = settings.OSCAR_BASKET_COOKIE_SAMESITE
        return response


def staff_session_start(sender, request, user, **kwargs):
    """user_logged_in receiver: a staff sign-in starts the 12-hour clock anew."""
    if user.is_staff and request is not None and hasattr(request, "session"):
        now = time.time()
        request.session[STAFF_SIGNED_IN_AT] = now
        request.session[STAFF_LAST_SEEN_AT] = now
