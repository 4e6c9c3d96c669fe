"""A staff member's first sign-in to the admin: enrolling a TOTP device."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
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
