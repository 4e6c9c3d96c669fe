"""Security headers on every page a shopper crawls, the admin and static files."""

import re

import pytest

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
