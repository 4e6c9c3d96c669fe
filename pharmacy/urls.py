from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView

from catalog.views import HomeView, SearchView
from checkout import figures_page, metrics
from checkout.dispensing.labels.views import accessible_label_view
from pharmacy.accounts import order_views as account_order_views
from pharmacy.accounts import views as account_views
from pharmacy.core import views
from pharmacy.staff import views as staff_views

# Staff refused a back-office page see the refusal in the back office's layout.
handler403 = "pharmacy.staff.views.permission_denied"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("livez", views.livez, name="livez"),
    path("metrics", metrics.metrics_view, name="metrics"),
    path(".well-known/security.txt", views.security_txt, name="security-txt"),
    path(
        "staff/two-factor/", staff_views.two_factor_enrol, name="staff-two-factor-enrol"
    ),
    # Oscar's sign-in and registration pages, answering the same for any email
    # (these come before Oscar's own URLs, which keep their names).
    path("accounts/login/", account_views.AccountAuthView.as_view()),
    path("accounts/register/", account_views.AccountRegistrationView.as_view()),
    path(
        "accounts/activate/<uidb64>/<token>/",
        account_views.AccountActivateView.as_view(),
        name="account-activate",
    ),
    path("", HomeView.as_view(), name="home"),
    # The superintendent's figures (checkout/figures_page.py), inside the
    # admin: its sign-in, second factor and look.
    path(
        "admin/figures/",
        admin.site.admin_view(figures_page.figures_view),
        name="admin-pharmacy-figures",
    ),
    path("admin/", admin.site.urls),
    # Ours in place of Oscar's search page (same URL, so Oscar's links still work).
    path("search/", SearchView.as_view(), name="search"),
    path("prices/", include("catalog.costs.urls")),
    path("legal/", include("pharmacy.compliance.urls")),
    # A guest order's "create an account": registration for the order's email.
    path(
        "prescriptions/guest/<str:order_number>/<str:hash>/",
        account_order_views.GuestAccountView.as_view(),
        name="guest-account",
    ),
    path("prescriptions/", include("checkout.dispensing.refills.urls")),
    # Where intermediaries post e-prescriptions (docs/e-prescriptions.md).
    path("erx/", include("checkout.dispensing.eprescribing.urls")),
    # The QR code on a dispensing label: a signed link, no health data in it.
    path("label/<str:token>/", accessible_label_view, name="dispensing-label"),
    # The back office is the Django admin; Oscar's dashboard is not offered.
    re_path(r"^dashboard/", RedirectView.as_view(url="/admin/", permanent=False)),
    path("", include(apps.get_app_config("oscar").urls[0])),
]

# Public product images only; private health data is never under MEDIA_ROOT.
# In production the web server or object storage serves MEDIA_URL instead.
if settings.DEBUG or settings.SERVE_MEDIA:
    from django.views.static import serve

    urlpatterns += [
        re_path(
            rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.*)$",
            serve,
            {"document_root": settings.MEDIA_ROOT},
        )
    ]
