"""Settings shared by every environment; everything variable comes from ``env``."""

from decimal import Decimal
from pathlib import Path

import environ
from oscar.defaults import *  # noqa: F403  Oscar's OSCAR_* defaults, overridden below

from checkout.orders import workflow

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-not-for-production")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    # Django (the admin through our config: its site asks staff for a TOTP code)
    "pharmacy.staff.apps.StaffAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.flatpages",
    "django.contrib.humanize",
    # Oscar, with our forks in place of the stock catalogue, reviews, partner,
    # shipping, checkout, basket and offer
    "oscar.config.Shop",
    "oscar.apps.analytics.apps.AnalyticsConfig",
    "checkout.apps.CheckoutConfig",
    "oscar.apps.address.apps.AddressConfig",
    "checkout.shipping.apps.ShippingConfig",
    "catalog.apps.CatalogueConfig",
    "catalog.reviews.apps.CatalogueReviewsConfig",
    "oscar.apps.communication.apps.CommunicationConfig",
    "catalog.partner.apps.PartnerConfig",
    "checkout.basket.apps.BasketConfig",
    "oscar.apps.payment.apps.PaymentConfig",
    "checkout.offer.apps.OfferConfig",
    "oscar.apps.order.apps.OrderConfig",
    "pharmacy.accounts.apps.CustomerConfig",
    "oscar.apps.search.apps.SearchConfig",
    "oscar.apps.voucher.apps.VoucherConfig",
    "oscar.apps.wishlists.apps.WishlistsConfig",
    # Oscar's dashboard apps stay installed because Oscar's app configs look them
    # up at start-up; their URLs redirect to the Django admin (see pharmacy/urls.py).
    "oscar.apps.dashboard.apps.DashboardConfig",
    "oscar.apps.dashboard.reports.apps.ReportsDashboardConfig",
    "oscar.apps.dashboard.users.apps.UsersDashboardConfig",
    "oscar.apps.dashboard.orders.apps.OrdersDashboardConfig",
    "oscar.apps.dashboard.catalogue.apps.CatalogueDashboardConfig",
    "oscar.apps.dashboard.offers.apps.OffersDashboardConfig",
    "oscar.apps.dashboard.partners.apps.PartnersDashboardConfig",
    "oscar.apps.dashboard.pages.apps.PagesDashboardConfig",
    "oscar.apps.dashboard.ranges.apps.RangesDashboardConfig",
    "oscar.apps.dashboard.reviews.apps.ReviewsDashboardConfig",
    "oscar.apps.dashboard.vouchers.apps.VouchersDashboardConfig",
    "oscar.apps.dashboard.communications.apps.CommunicationsDashboardConfig",
    "oscar.apps.dashboard.shipping.apps.ShippingDashboardConfig",
    # Third party
    "widget_tweaks",
    "haystack",
    "treebeard",
    "django_tables2",
    "sorl.thumbnail",
    "simple_history",
    # Failed sign-ins are recorded and lock an account+IP pair (pharmacy/security docs)
    "axes",
    # Staff sign in to the admin with a TOTP code; backup codes are static tokens
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # Content-Security-Policy header on every response
    "csp",
    # Request counts and latency by view for Prometheus (served by checkout/metrics.py)
    "django_prometheus",
    # Ours
    "pharmacy.core.apps.CoreConfig",
    "pharmacy.staff.apps.StaffConfig",
    "pharmacy.compliance.apps.ComplianceConfig",
    "checkout.dispensing.refills.apps.RefillsConfig",
    "checkout.dispensing.eprescribing.apps.EprescribingConfig",
]

# A refused form (no CSRF cookie, a stale token) gets a page in the shop's
# layout that obeys the CSP, not Django's page with its inline style.
CSRF_FAILURE_VIEW = "pharmacy.core.views.csrf_failure"

MIDDLEWARE = [
    # First and last: times the whole request, by view (django-prometheus)
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # The headers every page carries sit above everything that can refuse a
    # request (a bad Host header is refused by CommonMiddleware below), so
    # the refusals carry them too. The Content-Security-Policy comes from
    # CONTENT_SECURITY_POLICY below.
    "csp.middleware.CSPMiddleware",
    "pharmacy.core.middleware.PermissionsPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): whether this session entered a TOTP code
    "django_otp.middleware.OTPMiddleware",
    # Staff sessions end after 30 idle minutes and 12 hours in all
    "pharmacy.staff.sessions.StaffSessionExpiryMiddleware",
    # Each log line's request id and user id (pharmacy/core/log_context.py)
    "pharmacy.core.log_context.RequestLogContextMiddleware",
    # Records a staff member's 403/404 on health data pages (checkout/dispensing/access_log.py).
    "checkout.dispensing.access_log.DeniedAccessMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Oscar's, with SameSite on the basket cookie
    "checkout.basket.middleware.BasketMiddleware",
    "django.contrib.flatpages.middleware.FlatpageFallbackMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: turns a lockout into our lockout page
    # Times the request from here; django-axes asks to be last, below it.
    "django_prometheus.middleware.PrometheusAfterMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "pharmacy.urls"
WSGI_APPLICATION = "pharmacy.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # Our templates/ comes first so that templates/oscar/... overrides Oscar's.
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.template.context_processors.i18n",
                "django.contrib.messages.context_processors.messages",
                "oscar.apps.checkout.context_processors.checkout",
                "oscar.core.context_processors.metadata",
                "pharmacy.core.context_processors.pharmacy",
            ],
        },
    },
]

# SQLite is the embedded default; DATABASE_URL (postgres://...) switches to PostgreSQL.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside a writer; IMMEDIATE takes the write lock when a
    # transaction starts instead of failing with "database is locked" on upgrade.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": (
            "PRAGMA journal_mode=WAL;"
            "PRAGMA synchronous=NORMAL;"
            "PRAGMA busy_timeout=20000;"
        ),
    }

DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

# "catalog" holds the catalogue version and the shared pages stored under it
# (pharmacy/core/cache.py). It must be shared by every app server, so without
# Redis it is a dummy and nothing is cached.
if env("REDIS_URL", default=""):
    _redis = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": env("REDIS_URL"),
    }
    CACHES = {
        "default": {**_redis, "KEY_PREFIX": "pharmacy"},
        "catalog": {**_redis, "KEY_PREFIX": "pharmacy-catalog"},
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "catalog": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    }

AUTHENTICATION_BACKENDS = (
    # First: refuses a locked-out account+IP before any password is checked
    "axes.backends.AxesStandaloneBackend",
    # Oscar's email sign-in and Django's username sign-in, both hashing a
    # dummy password for an unknown account (pharmacy/auth_backends.py)
    "pharmacy.accounts.auth_backends.EmailBackend",
    "pharmacy.accounts.auth_backends.UsernameBackend",
)
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

HAYSTACK_CONNECTIONS = {
    "default": {"ENGINE": "haystack.backends.simple_backend.SimpleEngine"}
}

LANGUAGE_CODE = "en-us"
TIME_ZONE = "America/New_York"
# The store speaks English only. Translations off: Oscar's en_US catalogue would
# turn every "basket" in its messages into "cart".
USE_I18N = False
USE_TZ = True
SITE_ID = 1
# Every link in an email (and anything else read outside a request) starts with this.
PUBLIC_BASE_URL = env("PUBLIC_BASE_URL", default="http://127.0.0.1:8000").rstrip("/")

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Production serves MEDIA_URL from object storage or the web server, not Django.
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=False)
# Where prescription files were kept on disk before they moved into the
# database; `manage.py prescription_files_import` moves any left there in.
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=BASE_DIR / "private")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    # Prescriptions and the pages drawn from them: in the database with the
    # rest of the health data, with no URL (checkout/dispensing/storage.py).
    "prescriptions": {"BACKEND": "checkout.dispensing.storage.DatabaseFileStorage"},
}

LOGIN_REDIRECT_URL = "/"

# Oscar
OSCAR_SHOP_NAME = env("PHARMACY_NAME", default="Demo Pharmacy (demo data)")
OSCAR_SHOP_TAGLINE = "Licensed online pharmacy"
OSCAR_HOMEPAGE = "/"
OSCAR_DEFAULT_CURRENCY = "USD"
OSCAR_THUMBNAILER = "oscar.core.thumbnails.SorlThumbnail"
OSCAR_MISSING_IMAGE_URL = "image_not_found.jpg"
OSCAR_ALLOW_ANON_CHECKOUT = True
OSCAR_MODERATE_REVIEWS = True
OSCAR_MAX_BASKET_QUANTITY_THRESHOLD = 20
OSCAR_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="orders@pharmacy.invalid")
OSCAR_HIDDEN_FEATURES = ["wishlists"]
OSCAR_EAGER_ALERTS = False

# Shown in every page's footer and in emails. The defaults are obviously fake so a
# demo can never be mistaken for a real, licensed pharmacy.
PHARMACY = {
    "name": OSCAR_SHOP_NAME,
    "street_address": env(
        "PHARMACY_ADDRESS", default="123 Example Street, Springfield, ST 00000 (demo)"
    ),
    "phone": env("PHARMACY_PHONE", default="+1 555 0100 (demo)"),
    "licence_number": env("PHARMACY_LICENCE", default="DEMO-0000 (not a real licence)"),
    "pharmacist_in_charge": env(
        "PHARMACIST_IN_CHARGE", default="Pat Example, PharmD (demo)"
    ),
    "is_demo": not env("PHARMACY_NAME", default=""),
}

EMAIL_BACKEND = env(
    "EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
)
# For the SMTP backend. A slow server delays only the worker, never a request.
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
DEFAULT_FROM_EMAIL = OSCAR_FROM_EMAIL

THUMBNAIL_FORMAT = "WEBP"
THUMBNAIL_PRESERVE_FORMAT = False

HAYSTACK_SIGNAL_PROCESSOR = "haystack.signals.BaseSignalProcessor"

# Delivery methods offered at checkout: prices in USD, tax-free.
SHIPPING_METHODS = {
    "standard": {
        "name": "Standard delivery",
        "description": "3 to 5 working days after the pharmacist approves your order",
        "price": env("SHIPPING_STANDARD_PRICE", default="4.95"),
    },
    "express": {
        "name": "Express delivery",
        "description": "Next working day after the pharmacist approves your order",
        "price": env("SHIPPING_EXPRESS_PRICE", default="14.95"),
    },
}

# The highest price a pack may be given in the admin's price list (USD); a
# guard against typos such as 1,000,000,000.
PACK_PRICE_MAX = Decimal(env("PACK_PRICE_MAX", default="10000.00"))

# What the pharmacy charges on every pack for its work (checking the
# prescription, dispensing, labelling, counselling), shown in each pack's
# "How this price is made" (catalog/costs/breakdown.py). Part of the pack
# price, never added to it.
PHARMACY_FEE = Decimal(env("PHARMACY_FEE", default="4.00"))

# The order's statuses and which may follow which come from the one
# declaration of the order's life (checkout/orders/workflow.py).
OSCAR_INITIAL_ORDER_STATUS = workflow.PLACE.ends_in.value
OSCAR_INITIAL_LINE_STATUS = OSCAR_INITIAL_ORDER_STATUS
OSCAR_ORDER_STATUS_PIPELINE = workflow.status_pipeline()
OSCAR_LINE_STATUS_PIPELINE = OSCAR_ORDER_STATUS_PIPELINE
OSCAR_ORDER_STATUS_CASCADE = {status: status for status in OSCAR_ORDER_STATUS_PIPELINE}

# Card payments. With no secret key the store offers "invoice after approval" only.
STRIPE_SECRET_KEY = env("STRIPE_SECRET_KEY", default="")
STRIPE_WEBHOOK_SECRET = env("STRIPE_WEBHOOK_SECRET", default="")
# Stripe's events are a few KB; a body larger or nested deeper (pharmacy/core/
# bodies.py) is refused before it is parsed.
STRIPE_WEBHOOK_MAX_BYTES = env.int("STRIPE_WEBHOOK_MAX_BYTES", default=256 * 1024)
STRIPE_API_BASE = env("STRIPE_API_BASE", default="")  # tests point this at a fake

# The country the store sells in: a strength is sold only where it is approved
# (Strength.approved_markets; catalog/markets.py).
PHARMACY_MARKET = env("PHARMACY_MARKET", default="US").upper()

# Refills: a prescription expires this many days after it was written; a refill
# is too early while more than this share of the last fill's supply remains;
# reminders go out this many days before that supply runs out.
PRESCRIPTION_VALID_DAYS = env.int("PRESCRIPTION_VALID_DAYS", default=365)
REFILL_TOO_EARLY_SHARE_LEFT = env.float("REFILL_TOO_EARLY_SHARE_LEFT", default=0.75)
REFILL_REMINDER_DAYS_BEFORE = env.int("REFILL_REMINDER_DAYS_BEFORE", default=7)

# E-prescriptions (docs/e-prescriptions.md): each intermediary allowed to post
# to /erx/, by name and password for HTTP basic auth, as
# "name=password,other=password2". None by default: the endpoint refuses all.
ERX_INTERMEDIARIES = env.dict("ERX_INTERMEDIARIES", default={})
# Largest e-prescription message read, in bytes (checked before reading it).
ERX_MAX_BODY_BYTES = env.int("ERX_MAX_BODY_BYTES", default=256 * 1024)

# Largest prescription upload accepted, in bytes.
PRESCRIPTION_MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# Stripe answers within this many seconds or the call counts as failed (and,
# for a capture, reconciliation later asks Stripe what happened).
STRIPE_TIMEOUT_SECONDS = env.float("STRIPE_TIMEOUT_SECONDS", default=20)
# Stripe cancels an uncaptured card authorisation after 7 days.
STRIPE_AUTHORISATION_DAYS = 7
# Pay-again links emailed after a failed capture stay valid this long.
PAY_AGAIN_LINK_DAYS = 7
# An invoice's "Pay by card" link (shown when Stripe is set up) stays valid
# this long, well past the due date; once the invoice is paid it says so.
INVOICE_CARD_LINK_DAYS = 90

# Invoice orders: due this many days after approval; dispatch waits until the
# invoice is paid unless this is turned off; paid into this account (shown in
# the approval email and on the order's page; the reference is the order number).
INVOICE_DUE_DAYS = env.int("INVOICE_DUE_DAYS", default=14)
INVOICE_DISPATCH_WAITS_FOR_PAYMENT = env.bool(
    "INVOICE_DISPATCH_WAITS_FOR_PAYMENT", default=True
)
INVOICE_BANK = {
    "payee": env("INVOICE_BANK_PAYEE", default=OSCAR_SHOP_NAME),
    "bank": env("INVOICE_BANK_NAME", default="Example Bank (demo)"),
    "routing_number": env("INVOICE_BANK_ROUTING", default="000000000 (demo)"),
    "account_number": env("INVOICE_BANK_ACCOUNT", default="00000000 (demo)"),
}

# Prescription files from checkouts that never became orders are deleted after
# this many days (manage.py cleanup_abandoned_uploads, run daily).
PRESCRIPTION_ABANDONED_AFTER_DAYS = env.int(
    "PRESCRIPTION_ABANDONED_AFTER_DAYS", default=7
)

CELERY_TIMEZONE = TIME_ZONE
# django-otp: the issuer shown in authenticator apps.
OTP_TOTP_ISSUER = OSCAR_SHOP_NAME

# Logs, error reports and metrics; the security layers; the task queue and
# its periodic jobs.
from .observability import *  # noqa: E402, F403
from .security import *  # noqa: E402, F403
from .tasks import *  # noqa: E402, F403
