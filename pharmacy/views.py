"""Small site-wide views: health, liveness, security.txt, staff enrolment."""

from datetime import UTC, timedelta

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login

from pharmacy import health, two_factor


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


@never_cache
@login_required(login_url="admin:login")
def two_factor_enrol(request):
    """A staff member's first sign-in: scan the QR code, confirm with a code,
    get backup codes once."""
    user = request.user
    if not user.is_staff:
        raise PermissionDenied
    if not two_factor.staff_needs_enrolment(user=user):
        return redirect("admin:index")
    device = two_factor.totp_device_pending(user=user)
    error = ""
    if request.method == "POST":
        codes = two_factor.totp_device_confirm(
            device=device, token=request.POST.get("otp_token", "")
        )
        if codes is not None:
            otp_login(request, device)
            return render(
                request, "admin/two_factor_backup_codes.html", {"codes": codes}
            )
        error = "That code did not match. Enter the code your app shows now."
    context = {
        "qr_code": two_factor.qr_code_data_uri(text=device.config_url),
        "secret": two_factor.secret_for_typing(device=device),
        "error": error,
    }
    return render(request, "admin/two_factor_enrol.html", context)
