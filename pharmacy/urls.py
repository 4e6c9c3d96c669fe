from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView

from catalog.views import HomeView

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("admin/", admin.site.urls),
    # The back office is the Django admin; Oscar's dashboard is not offered.
    re_path(r"^dashboard/", RedirectView.as_view(url="/admin/", permanent=False)),
    path("", include(apps.get_app_config("oscar").urls[0])),
]

# Public product images only; private health data is never under MEDIA_ROOT.
if settings.DEBUG or settings.SERVE_MEDIA:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
