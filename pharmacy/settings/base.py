"""Settings shared by every environment; everything variable comes from ``env``."""

from pathlib import Path

import environ
from oscar.defaults import *  # noqa: F403  Oscar's OSCAR_* defaults, overridden below

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-not-for-production")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    # Django
    "django.contrib.admin",
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
    "oscar.apps.customer.apps.CustomerConfig",
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
    # Ours
    "pharmacy.apps.PharmacyConfig",
    "compliance.apps.ComplianceConfig",
    "refills.apps.RefillsConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Records a staff member's 403/404 on health data pages (checkout/access_log.py).
    "checkout.access_log.DeniedAccessMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "oscar.apps.basket.middleware.BasketMiddleware",
    "django.contrib.flatpages.middleware.FlatpageFallbackMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
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
                "oscar.apps.search.context_processors.search_form",
                "oscar.apps.checkout.context_processors.checkout",
                "oscar.core.context_processors.metadata",
                "pharmacy.context_processors.pharmacy",
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

# "catalog" holds shared catalogue data (see catalog/cache.py). It must be shared
# by every app server, so without Redis it is a dummy and nothing is cached.
if env("REDIS_URL", default=""):
    _redis = {
        "BACKEND": "pharmacy.cache_backends.RedisCache",
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
    "oscar.apps.customer.auth_backends.EmailBackend",
    "django.contrib.auth.backends.ModelBackend",
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
USE_I18N = True
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
# Prescriptions and other health data: never under MEDIA_ROOT, never served directly.
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=BASE_DIR / "private")

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
DEFAULT_FROM_EMAIL = OSCAR_FROM_EMAIL

THUMBNAIL_FORMAT = "WEBP"
THUMBNAIL_PRESERVE_FORMAT = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
}
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

# Order lifecycle: every order waits for a pharmacist before it can ship.
OSCAR_INITIAL_ORDER_STATUS = "Awaiting prescription review"
OSCAR_INITIAL_LINE_STATUS = "Awaiting prescription review"
# Mirrors checkout.models.OrderStatus; tests check the two agree.
_DECIDING = ("Approved", "Rejected", "Cancelled")
OSCAR_ORDER_STATUS_PIPELINE = {
    "Awaiting prescription review": (
        *_DECIDING,
        "On hold",
        "Prescription requested from prescriber",
    ),
    "On hold": (*_DECIDING, "Awaiting prescription review"),
    "Prescription requested from prescriber": (
        *_DECIDING,
        "On hold",
        "Awaiting prescription review",
    ),
    "Approved": ("Dispatched", "Cancelled"),
    "Dispatched": (),
    "Rejected": (),
    "Cancelled": (),
}
OSCAR_LINE_STATUS_PIPELINE = OSCAR_ORDER_STATUS_PIPELINE
OSCAR_ORDER_STATUS_CASCADE = {status: status for status in OSCAR_ORDER_STATUS_PIPELINE}

# Card payments. With no secret key the store offers "invoice after approval" only.
STRIPE_SECRET_KEY = env("STRIPE_SECRET_KEY", default="")
STRIPE_WEBHOOK_SECRET = env("STRIPE_WEBHOOK_SECRET", default="")
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

# Largest prescription upload accepted, in bytes.
PRESCRIPTION_MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# Prescription files from checkouts that never became orders are deleted after
# this many days (manage.py cleanup_abandoned_uploads, run daily).
PRESCRIPTION_ABANDONED_AFTER_DAYS = env.int(
    "PRESCRIPTION_ABANDONED_AFTER_DAYS", default=7
)
