"""Our CSPMiddleware sends the policy django-csp builds from the settings,
built once, and leaves anything per-response to django-csp."""

import pytest
from csp.constants import HEADER, HEADER_REPORT_ONLY, NONCE
from csp.exceptions import CSPNonceError
from csp.middleware import CSPMiddleware as DjangoCSPMiddleware
from django.http import HttpResponse
from django.test import RequestFactory

from pharmacy.core.middleware import CSPMiddleware

rf = RequestFactory()


def respond(middleware_class, prepare=lambda response: None, request=None):
    request = request or rf.get("/")
    response = HttpResponse("ok")
    prepare(response)
    middleware = middleware_class(lambda r: response)
    return middleware(request)


def test_the_policy_is_the_one_django_csp_builds_from_the_settings():
    ours = respond(CSPMiddleware)[HEADER]

    assert ours == respond(DjangoCSPMiddleware)[HEADER]
    assert "script-src 'self'" in ours
    assert "'unsafe-inline'" not in ours


def test_a_changed_setting_changes_the_policy(settings):
    respond(CSPMiddleware)  # built and kept
    settings.CONTENT_SECURITY_POLICY = {
        "DIRECTIVES": {"default-src": ["'none'"], "script-src": ["'self'"]}
    }

    header = respond(CSPMiddleware)[HEADER]
    assert sorted(header.split("; ")) == ["default-src 'none'", "script-src 'self'"]


def test_a_responses_own_policy_parts_still_apply():
    def update(response):
        response._csp_update = {"img-src": ["https://images.example"]}

    header = respond(CSPMiddleware, update)[HEADER]

    assert "https://images.example" in header
    assert header == respond(DjangoCSPMiddleware, update)[HEADER]


def test_an_exempt_response_gets_no_policy():
    def exempt(response):
        response._csp_exempt = True

    assert HEADER not in respond(CSPMiddleware, exempt)


def test_a_request_that_used_a_nonce_is_left_to_django_csp(settings):
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"script-src": ["'self'", NONCE]}}

    request = rf.get("/")
    response = CSPMiddleware(lambda r: HttpResponse(str(r.csp_nonce)))(request)

    assert f"script-src 'self' 'nonce-{request._csp_nonce}'" in response[HEADER]


def test_a_nonce_asked_for_after_the_header_is_refused():
    request = rf.get("/")
    response = CSPMiddleware(lambda r: HttpResponse("ok"))(request)

    assert HEADER in response
    with pytest.raises(CSPNonceError):
        str(request.csp_nonce)


def test_a_report_only_policy_is_left_to_django_csp(settings):
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = {
        "DIRECTIVES": {"default-src": ["'self'"]}
    }

    assert respond(CSPMiddleware)[HEADER_REPORT_ONLY] == "default-src 'self'"
