"""The security layers: sign-in lockout, staff two-factor and sessions,
headers, security.txt (docs/security.md)."""

from datetime import timedelta

import environ

from pharmacy.core.static_headers import static_file_headers

env = environ.Env()


# django-axes: 10 failed sign-ins from one IP for one username lock that pair
# for the cool-off; a superuser unlocks early under Axes › Access attempts.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_CALLABLE = "pharmacy.accounts.auth_backends.lockout_response"
AXES_RESET_ON_SUCCESS = True
# The storefront's sign-in form posts "login-username"; the admin's "username".
AXES_USERNAME_CALLABLE = "pharmacy.accounts.auth_backends.axes_username"
# Behind a proxy: how many proxies append to X-Forwarded-For in front of the app
# (0: use REMOTE_ADDR, the default when nothing sits in front).
AXES_IPWARE_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0) or None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
    if env.int("TRUSTED_PROXY_COUNT", default=0)
    else ("REMOTE_ADDR",)
)

# Staff sessions: idle limit and absolute limit (pharmacy/staff/sessions.py).
STAFF_SESSION_IDLE_SECONDS = 30 * 60
STAFF_SESSION_MAX_SECONDS = 12 * 60 * 60

# django-csp 4: nothing inline, no third parties. Stripe is a redirect (a
# form-action/navigation), not an embedded script, so it needs no source here.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'", "https://checkout.stripe.com"],
    }
}
# Browser features the store never uses, switched off for every page.
# Only features browsers know: an unknown name costs every page a console
# warning in Chromium and protects nothing.
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), "
    "encrypted-media=(), fullscreen=(), geolocation=(), gyroscope=(), hid=(), "
    "idle-detection=(), "
    "magnetometer=(), microphone=(), midi=(), payment=(), "
    "picture-in-picture=(), publickey-credentials-get=(), screen-wake-lock=(), "
    "serial=(), usb=(), xr-spatial-tracking=()"
)

# Oscar's basket cookie: sent on top-level navigation, never on cross-site posts.
OSCAR_BASKET_COOKIE_SAMESITE = "Lax"

# /.well-known/security.txt
SECURITY_CONTACT = env("SECURITY_CONTACT", default="mailto:security@pharmacy.invalid")
SECURITY_TXT_LANGUAGES = "en"
WHITENOISE_ADD_HEADERS_FUNCTION = static_file_headers
