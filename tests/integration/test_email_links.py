"""Every email the store sends links only to this store, by absolute URLs built
from PUBLIC_BASE_URL, and every link opens a page."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sites.models import Site
from django.core import mail
from django.urls import reverse

from catalog.models import Product
from checkout.orders import actions
from pharmacy.core.sites import site_domain_sync
from pharmacy.staff.groups import staff_groups_ensure
from pharmacy.staff.roles import PHARMACISTS
from tests.checkout_helpers import fill, place_order
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

BASE = "http://shop.example.test:8123"
PASSWORD = "a-long-test-password-4821"
User = get_user_model()


@pytest.fixture(autouse=True)
def public_base(settings, private_root):
    settings.PUBLIC_BASE_URL = BASE


@pytest.fixture
def pack(drug) -> Product:
    return Product.objects.get(upc=f"{drug.product.upc}-10-30")


@pytest.fixture
def staff(db):
    user = UserFactory(is_staff=True)
    groups = staff_groups_ensure()
    user.groups.add(groups[PHARMACISTS])
    return user


def links(message) -> list[str]:
    """Every URL in the text body and in the HTML alternative's hrefs."""
    found = re.findall(r"https?://\S+", message.body)
    for html, mimetype in getattr(message, "alternatives", []):
        assert mimetype == "text/html"
        found += re.findall(r'href="([^"]+)"', html)
    return found


def store_emails(*, client, pack, staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        approved = place_order(product=pack)
        actions.order_approve(order=approved, actor=staff)
        fill(order=approved, actor=staff)
        actions.order_dispatch(order=approved, actor=staff, tracking_reference="1Z9")
        rejected = place_order(product=pack)
        actions.order_reject(order=rejected, actor=staff, reason="Out of date")
        cancelled = place_order(product=pack)
        actions.order_cancel(order=cancelled, actor=staff, reason="Asked to")
    client.post(
        reverse("customer:register"),
        {"email": "new@example.com", "password1": PASSWORD, "password2": PASSWORD},
    )
    # Registration signs nobody in: the account opens from the emailed link.
    [link] = re.findall(r"https?://\S+/accounts/activate/\S+/", mail.outbox[-1].body)
    assert link.startswith(BASE + "/")
    activated = client.get(link.removeprefix(BASE), follow=True)
    assert activated.status_code == 200
    assert activated.wsgi_request.user.email == "new@example.com"
    customer_order = place_order(product=pack, owner=activated.wsgi_request.user)
    with django_capture_on_commit_callbacks(execute=True):
        actions.order_approve(order=customer_order, actor=staff)
    changed = client.post(
        reverse("customer:change-password"),
        {
            "old_password": PASSWORD,
            "new_password1": PASSWORD,
            "new_password2": PASSWORD,
        },
    )
    assert changed.status_code == 302
    client.logout()
    client.post(reverse("password-reset"), {"email": "new@example.com"})
    return mail.outbox


def test_every_email_links_absolutely_to_pages_that_open(
    client, pack, staff, django_capture_on_commit_callbacks
):
    sent = store_emails(
        client=client,
        pack=pack,
        staff=staff,
        django_capture_on_commit_callbacks=django_capture_on_commit_callbacks,
    )
    subjects = [m.subject for m in sent]
    # 4 placed, 2 approved, dispatched, rejected, cancelled, welcome, password
    # changed, password reset
    assert len(sent) == 11, subjects

    for message in sent:
        if "/accounts/activate/" in message.body:
            continue  # single-use, and opened above to activate the account
        found = links(message)
        assert found, f"no link in {message.subject!r}"
        for url in found:
            assert url.startswith(BASE + "/"), (message.subject, url)
            path = url.removeprefix(BASE)
            if path.startswith("/accounts/orders/"):
                # The customer's own orders open once they sign in.
                client.force_login(User.objects.get(email="new@example.com"))
            response = client.get(path, follow=True)
            assert response.status_code == 200, (message.subject, url)
            client.logout()


def test_password_reset_link_opens_the_set_password_form(client, db):
    UserFactory(email="reset@example.com", password=PASSWORD)
    client.post(reverse("password-reset"), {"email": "reset@example.com"})
    (message,) = mail.outbox
    (url,) = {u for u in links(message)}
    response = client.get(url.removeprefix(BASE), follow=True)
    assert response.status_code == 200
    assert b"new_password1" in response.content


def test_the_site_domain_follows_the_public_base_url(settings, db):
    site_domain_sync()
    assert Site.objects.get_current().domain == "shop.example.test:8123"
