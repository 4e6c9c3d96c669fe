from .base import *  # noqa: F403
from .base import BASE_DIR, DATABASES

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = BASE_DIR / ".test-media"
PRIVATE_MEDIA_ROOT = BASE_DIR / ".test-private"

# Serve static files straight from the app folders; no collectstatic needed.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
SERVE_MEDIA = True

# Exercise the catalogue cache and its invalidation in every test.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "catalog": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "catalog",
    },
}

# A file, not memory, so `make test` (pytest --reuse-db) can keep it between runs.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / ".test-db.sqlite3")}
# Tasks run in the test's own process unless a test asks for a real worker.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = "memory://localhost/"
STRIPE_TIMEOUT_SECONDS = 5
# Dispatch waits for an invoice to be paid (the default, in base.py); most tests
# dispatch an invoice order without paying it, so here it does not wait. The
# tests of the rule turn it back on (tests/integration/checkout/payments/
# test_invoices.py, tests/browser/test_invoice_paid.py).
INVOICE_DISPATCH_WAITS_FOR_PAYMENT = False
