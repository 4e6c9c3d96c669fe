"""Logs, error reports and metrics: docs/operations.md."""

import environ

from pharmacy.core.error_reports import sentry_start

env = environ.Env()

# One JSON object a line (python-json-logger), each with the request id and
# the user id (pharmacy/core/log_context.py) and never any health data.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "client_error_without_traceback": {
            "()": "pharmacy.core.log_filters.ClientErrorWithoutTraceback"
        },
        "log_context": {"()": "pharmacy.core.log_context.LogContextFilter"},
    },
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(levelname)s %(name)s %(message)s %(request_id)s %(user_id)s",
            "rename_fields": {"levelname": "level", "name": "logger"},
            # ISO 8601 in UTC, whatever the store's time zone.
            "timestamp": "time",
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["log_context"],
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
    "loggers": {
        # Django's own default gives "django" a console handler of its own while
        # it also propagates to the root's: every line printed twice. One handler.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.request": {"filters": ["client_error_without_traceback"]},
        "django.security": {"filters": ["client_error_without_traceback"]},
        # At DEBUG this logs every SQL statement with its parameters: a
        # patient's name and date of birth. Never, whatever LOG_LEVEL says.
        "django.db.backends": {"level": "INFO"},
    },
}

# Error reports go to Sentry when SENTRY_DSN is set, scrubbed of health data
# (pharmacy/core/error_reports.py).
SENTRY_DSN = env("SENTRY_DSN", default="")
sentry_start(
    dsn=SENTRY_DSN,
    environment=env("SENTRY_ENVIRONMENT", default="production"),
    release=env("SENTRY_RELEASE", default=""),
)

# /metrics for Prometheus answers only a request with this bearer token (401
# otherwise). Empty: the endpoint answers 404. `make run` sets a demo token.
METRICS_TOKEN = env("METRICS_TOKEN", default="")
