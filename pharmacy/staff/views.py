"""A staff member's first sign-in to the admin (enrolling a TOTP device), and
the admin's own "not allowed" page."""

from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import defaults
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login

from pharmacy.staff import two_factor


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


def permission_denied(request, exception=None):
    """The project's 403 handler: staff refused a page of the back office see
    it in the back office's layout (with its menu and name), everyone else
    the shop's page."""
    user = getattr(request, "user", None)
    in_back_office = request.path.startswith(reverse("admin:index"))
    if in_back_office and user is not None and user.is_authenticated and user.is_staff:
        context = {
            **admin.site.each_context(request),
            "title": "You can't open this page",
        }
        return render(request, "admin/403.html", context, status=403)
    return defaults.permission_denied(request, exception)
