"""Small site-wide views: health, liveness, security.txt."""

from datetime import UTC, timedelta

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from pharmacy.core import health


def livez(request):
    """Liveness: the process answers. No database, no cache: the benchmark's
    floor, and what a supervisor restarts on."""
    return HttpResponse("ok", content_type="text/plain")


@never_cache
def healthz(request):
    """Readiness: 503 when the database or the cache can't be reached, so a
    load balancer stops sending traffic here."""
    checks = health.readiness()
    body = "\n".join(f"{name}: {'ok' if ok else 'down'}" for name, ok in checks.items())
    status = 200 if all(checks.values()) else 503
    return HttpResponse(body + "\n", status=status, content_type="text/plain")


def security_txt(request):
    """RFC 9116: whom to tell about a vulnerability; it expires a year ahead."""
    expires = (timezone.now() + timedelta(days=365)).replace(microsecond=0)
    lines = [
        f"Contact: {settings.SECURITY_CONTACT}",
        f"Expires: {expires.astimezone(UTC).strftime('%Y-%m-%dT%H:%M:%SZ')}",
        f"Preferred-Languages: {settings.SECURITY_TXT_LANGUAGES}",
        f"Canonical: {settings.PUBLIC_BASE_URL}/.well-known/security.txt",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


def csrf_failure(request, reason=""):
    """A form refused for a missing or stale security token (settings.
    CSRF_FAILURE_VIEW). The reason stays in the log; the page says what to do."""
    return render(request, "403_csrf.html", status=403)
