from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.http import HttpResponse
from django.urls import include, path, re_path
from django.views.generic import RedirectView

from catalog.views import HomeView


def healthz(request):
    """Liveness for the load balancer, and the benchmark's floor: the whole
    middleware stack, no database work."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("", HomeView.as_view(), name="home"),
    path("admin/", admin.site.urls),
    path("legal/", include("compliance.urls")),
    path("prescriptions/", include("refills.urls")),
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
