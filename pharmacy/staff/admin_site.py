"""The back office: Django's admin, entered with a password and a TOTP code.

Every staff account can reach health data or prices through some role, so
the admin asks all staff for a second factor rather than deciding per role.
A staff member with no authenticator yet is sent to enrol one (QR code) after
the password step; until then the admin stays closed to them.
"""

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import user_login_failed
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django_otp import match_token, user_has_device

from pharmacy.staff.roles import Perm, staff_may

INVALID_SIGN_IN = (
    "Please enter the correct username, password and authentication code "
    "for a staff account."
)


class StaffSignInForm(AdminAuthenticationForm):
    """Username, password and, for an enrolled account, a code from the
    authenticator app or an unused backup code. One message for any wrong
    part, so a correct password is not revealed by a wrong code."""

    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "invalid_login": INVALID_SIGN_IN,
    }
    otp_token = forms.CharField(
        label="Authentication code",
        required=False,
        max_length=16,
        help_text="The 6-digit code from your authenticator app, or a backup code.",
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "aria-describedby": "otp-token-help",
            }
        ),
    )

    def clean(self):
        cleaned = super().clean()
        user = self.get_user()
        if user is None or not user_has_device(user):
            return cleaned  # not enrolled yet: the site sends them to enrol
        token = (cleaned.get("otp_token") or "").strip().replace(" ", "")
        device = match_token(user, token) if token else None
        if device is None:
            # Counted by django-axes like a wrong password.
            user_login_failed.send(
                sender=__name__,
                credentials={"username": cleaned.get("username")},
                request=self.request,
            )
            self.user_cache = None
            raise ValidationError(INVALID_SIGN_IN, code="invalid_login")
        # django_otp's user_logged_in receiver stores the device in the session.
        user.otp_device = device
        return cleaned


def _verified(user) -> bool:
    """Whether this session entered a code. Right after sign-in, request.user
    is the freshly signed-in user, which OTPMiddleware has not wrapped yet."""
    if getattr(user, "otp_device", None) is not None:
        return True
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())


class PharmacyAdminSite(admin.AdminSite):
    login_form = StaffSignInForm
    login_template = "admin/pharmacy_login.html"
    index_title = "Back office"
    # After signing in, staff holding a permission land on its page instead
    # of the index: (permission, URL name), the first that applies. Named, not
    # imported: the pages belong to the apps above this layer.
    landing_pages = (
        (Perm.REVIEW_PRESCRIPTIONS, "admin:checkout_queueorder_changelist"),
    )

    # The pharmacy's name, read when a page is drawn (tests change settings).
    @property
    def site_header(self) -> str:
        return f"{settings.OSCAR_SHOP_NAME}: back office"

    @property
    def site_title(self) -> str:
        return settings.OSCAR_SHOP_NAME

    def landing_url(self, user) -> str | None:
        for permission, url_name in self.landing_pages:
            if staff_may(user, permission):
                return reverse(url_name, current_app=self.name)
        return None

    def has_permission(self, request):
        return super().has_permission(request) and _verified(request.user)

    def index(self, request, extra_context=None):
        # The figures page lives with the orders (checkout/figures_page.py);
        # the index links it, by its URL name, for those who may open it.
        if staff_may(request.user, Perm.VIEW_PHARMACY_FIGURES):
            extra_context = {
                "pharmacy_figures_url": reverse("admin-pharmacy-figures"),
                **(extra_context or {}),
            }
        return super().index(request, extra_context)

    def login(self, request, extra_context=None):
        user = request.user
        unverified_staff = (
            user.is_authenticated and user.is_staff and not _verified(user)
        )
        if unverified_staff and not user_has_device(user):
            return redirect(reverse("staff-two-factor-enrol"))
        response = super().login(request, extra_context)
        user = request.user
        if (
            request.method == "POST"
            and user.is_authenticated
            and user.is_staff
            and not _verified(user)
        ):
            return redirect(reverse("staff-two-factor-enrol"))
        index = reverse("admin:index", current_app=self.name)
        if (
            request.method == "POST"
            and response.status_code == 302
            and response.url == index
            and (landing := self.landing_url(user))
        ):
            return redirect(landing)
        return response
