"""Absolute links for places with no request to ask: emails, reminders, jobs."""

from django.conf import settings
from django.urls import reverse


def absolute_url(path: str) -> str:
    """`path` (starting with "/") under the configured public base URL."""
    if not path.startswith("/"):
        raise ValueError(f"expected a site path starting with '/', got {path!r}")
    return f"{settings.PUBLIC_BASE_URL}{path}"


def absolute_reverse(viewname: str, *, args=None, kwargs=None) -> str:
    return absolute_url(reverse(viewname, args=args, kwargs=kwargs))
