"""Request-wide headers: Permissions-Policy (the Content-Security-Policy
header is django-csp's own middleware, configured in the settings)."""

from django.conf import settings


class PermissionsPolicyMiddleware:
    """Turns off the browser features the store never uses, on every response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
