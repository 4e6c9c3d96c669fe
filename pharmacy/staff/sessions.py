"""A staff member's session ends after STAFF_SESSION_IDLE_SECONDS without a
request, or STAFF_SESSION_MAX_SECONDS after signing in."""

import time

from django.conf import settings
from django.contrib.auth import logout

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


def staff_session_start(sender, request, user, **kwargs):
    """user_logged_in receiver: a staff sign-in starts the 12-hour clock anew."""
    if user.is_staff and request is not None and hasattr(request, "session"):
        now = time.time()
        request.session[STAFF_SIGNED_IN_AT] = now
        request.session[STAFF_LAST_SEEN_AT] = now
