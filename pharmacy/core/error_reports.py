"""Error reports to Sentry (sentry-sdk), started when SENTRY_DSN is set.

A report must never carry health data, and Sentry gathers much by default:
request bodies, cookies, headers, local variables of every frame, SQL
breadcrumbs, log messages with their arguments, exception messages (a form's
validation error may quote what was typed). So personal data is off, local
variables and request bodies are never captured, and ``report_scrub`` (the
before_send hook, tested with unusual strings in every patient field) keeps
only what locates a fault: exception types, code frames without variables,
the URL path, the request id and the user's id.
"""

import logging

from pharmacy.core import log_context

SCRUBBED = "[scrubbed]"
# Headers a report may keep: none of them says anything about a patient.
SAFE_HEADERS = {"host", "user-agent", "x-request-id", "content-type", "content-length"}


def _request_scrub(request: dict) -> dict:
    headers = request.get("headers") or {}
    return {
        "method": request.get("method"),
        # Health data never goes in a URL (docs/security.md); the query string
        # (a search, a filter) might still hold a name, so it goes.
        "url": (request.get("url") or "").split("?", 1)[0],
        "headers": {k: v for k, v in headers.items() if k.lower() in SAFE_HEADERS},
    }


def _frames_scrub(stacktrace: dict | None) -> None:
    for frame in (stacktrace or {}).get("frames") or ():
        frame.pop("vars", None)


def _exception_scrub(exception: dict) -> None:
    # The type names the fault; the message may quote an input.
    if exception.get("value"):
        exception["value"] = SCRUBBED
    _frames_scrub(exception.get("stacktrace"))


def report_scrub(event: dict, hint: dict | None = None) -> dict:
    """Sentry's before_send: the event with everything that could hold health
    data removed. Also used for breadcrumbs' data (``breadcrumb_scrub``)."""
    for exception in (event.get("exception") or {}).get("values") or ():
        _exception_scrub(exception)
    for thread in (event.get("threads") or {}).get("values") or ():
        _frames_scrub(thread.get("stacktrace"))
    if "request" in event:
        event["request"] = _request_scrub(event["request"])
    logentry = event.get("logentry")
    if logentry:
        # The message as the code wrote it ("Prescription %s: ..."), not its values.
        event["logentry"] = {"message": logentry.get("message"), "params": []}
    if event.get("message"):
        event["message"] = SCRUBBED
    user = event.get("user") or {}
    event["user"] = {"id": user["id"]} if user.get("id") else {}
    event["extra"] = {}
    for crumb in (event.get("breadcrumbs") or {}).get("values") or ():
        breadcrumb_scrub(crumb)
    tags = event.setdefault("tags", {})
    if log_context.request_id.get():
        tags["request_id"] = log_context.request_id.get()
    return event


def breadcrumb_scrub(crumb: dict, hint: dict | None = None) -> dict:
    """Keeps a breadcrumb's kind and time, not its contents: SQL parameters,
    log arguments and HTTP bodies stay out."""
    return {
        "type": crumb.get("type"),
        "category": crumb.get("category"),
        "level": crumb.get("level"),
        "timestamp": crumb.get("timestamp"),
    }


def sentry_options(*, dsn: str, environment: str, release: str = "") -> dict:
    """The sentry_sdk.init arguments; the tests pass the same plus a transport."""
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration
    from sentry_sdk.integrations.logging import LoggingIntegration

    return {
        "dsn": dsn,
        "environment": environment,
        "release": release or None,
        # Personal data stays off: send_default_pii is left at its default
        # (off), which this SDK deprecates as an argument in favour of
        # data_collection; nothing below turns any collection on.
        "include_local_variables": False,
        "max_request_body_size": "never",
        "before_send": report_scrub,
        "before_breadcrumb": breadcrumb_scrub,
        # Performance tracing would copy each request's span data; errors only.
        "traces_sample_rate": 0,
        "integrations": [
            DjangoIntegration(),
            CeleryIntegration(),
            LoggingIntegration(level=logging.INFO, event_level=logging.ERROR),
        ],
    }


def sentry_start(*, dsn: str, environment: str, release: str = "") -> None:
    if not dsn:
        return
    import sentry_sdk

    sentry_sdk.init(**sentry_options(dsn=dsn, environment=environment, release=release))
