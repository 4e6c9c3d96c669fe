"""Request-wide headers: Content-Security-Policy and Permissions-Policy."""

import functools

from csp import middleware as csp_middleware
from csp.constants import HEADER as CSP_HEADER
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver


class CSPMiddleware(csp_middleware.CSPMiddleware):
    """django-csp's middleware, with the policy from the settings built once:
    building it on every response took 7% of a cached product page (py-spy
    on a gunicorn worker). A response or request that carries its own policy
    parts (django-csp's decorators, a nonce) or a report-only policy is
    handled by django-csp as ever."""

    def process_response(self, request, response):
        own_parts = any(
            getattr(response, f"_csp_{part}{ro}", None) is not None
            for part in ("config", "update", "replace")
            for ro in ("", "_ro")
        )
        if (
            own_parts
            or getattr(request, "_csp_nonce", None) is not None
            # django-csp leaves Django's debug pages alone
            or (settings.DEBUG and response.status_code in (404, 500))
            or getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
            or (settings.CONTENT_SECURITY_POLICY or {}).get("EXCLUDE_URL_PREFIXES")
        ):
            return super().process_response(request, response)
        if CSP_HEADER not in response and not getattr(response, "_csp_exempt", False):
            response[CSP_HEADER] = _settings_policy()
        # As django-csp does: a nonce asked for after this would not be sent.
        request.csp_nonce = csp_middleware.CheckableLazyObject(
            self._csp_nonce_post_response
        )
        return response


@functools.cache
def _settings_policy() -> str:
    return csp_middleware.build_policy()


@receiver(setting_changed)
def _csp_settings_changed(*, setting, **kwargs):
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _settings_policy.cache_clear()


class PermissionsPolicyMiddleware:
    """Turns off the browser features the store never uses, on every response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
