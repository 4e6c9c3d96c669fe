"""Security headers on every page a shopper crawls, the admin and static files."""

import re

import pytest
from django.test import Client

from tests.checkout_helpers import pack_add
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
LINK = re.compile(r'href="(/[^"#]*)"')


def assert_security_headers(response, url):
    csp = response.headers.get("Content-Security-Policy", "")
    assert csp, url
    script_src = re.search(r"script-src ([^;]*)", csp).group(1)
    style_src = re.search(r"style-src ([^;]*)", csp).group(1)
    assert "'unsafe-inline'" not in script_src, url
    assert "'unsafe-inline'" not in style_src, url
    policy = response.headers.get("Permissions-Policy", "")
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in policy, url
    assert response.headers.get("X-Content-Type-Options") == "nosniff", url


def crawl(client, start: str, limit: int = 40):
    seen, queue = set(), [start]
    while queue and len(seen) < limit:
        url = queue.pop(0)
        if url in seen or url.startswith(("/static/", "/media/", "/accounts/logout")):
            continue
        seen.add(url)
        response = client.get(url)
        yield url, response
        if response.status_code == 200 and "html" in response["Content-Type"]:
            queue += LINK.findall(response.content.decode())


def test_every_page_of_a_shopper_crawl_sends_the_security_headers(client, drug):
    pages = list(crawl(client, "/"))
    assert len(pages) > 5
    for url, response in pages:
        assert_security_headers(response, url)


def test_admin_pages_send_the_security_headers(client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    for url in ("/admin/login/", "/admin/", "/admin/auth/user/", "/admin/axes/"):
        assert_security_headers(client.get(url), url)


def test_static_files_are_not_sniffed(client):
    response = client.get("/static/css/site.css")

    assert response.status_code == 200
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_the_basket_cookie_is_same_site_lax(client, drug):
    from django.conf import settings

    pack_add(client, drug=drug)
    response = pack_add(client, drug=drug)
    cookie = client.cookies[settings.OSCAR_BASKET_COOKIE_OPEN]
    assert cookie["samesite"] == "Lax"
    assert response.status_code == 302


def test_a_request_refused_for_its_host_header_still_sends_the_headers(client):
    response = client.get("/", headers={"host": "attacker.example"})

    assert response.status_code == 400
    assert_security_headers(response, "bad host")
    assert response.headers["X-Frame-Options"] == "DENY"


def test_a_refused_form_gets_our_page_with_no_inline_style(drug):
    client = Client(enforce_csrf_checks=True)

    response = client.post("/accounts/login/", {"username": "a", "password": "b"})

    assert response.status_code == 403
    assert_security_headers(response, "csrf failure")
    page = response.content.decode()
    assert "We couldn't accept that form" in page
    assert "<style" not in page
    assert " style=" not in page


def test_the_permissions_policy_names_only_features_browsers_know(client):
    policy = client.get("/").headers["Permissions-Policy"]

    features = {part.split("=")[0].strip() for part in policy.split(",")}
    # Chromium warns on every page for a name it does not know.
    assert not features & {"ambient-light-sensor", "battery", "document-domain"}
    assert {"camera", "microphone", "geolocation", "payment", "usb"} <= features
