"""A guest order's "create an account" is registration for the order's email:
"check your inbox" whatever the address, nothing signed in or active until the
emailed link is followed, and then the order is in the account."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from catalog.models import Product
from checkout.orders import actions
from pharmacy.staff.groups import staff_groups_ensure
from pharmacy.staff.roles import PHARMACISTS
from tests.checkout_helpers import place_order
from tests.factories import UserFactory, reference_data_ensure
from tests.html import page, text

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-new-passphrase"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


@pytest.fixture(autouse=True)
def _private_files(private_root, db):
    reference_data_ensure()


@pytest.fixture
def approved_guest_order(drug):
    pharmacist = UserFactory(username="pharm", is_staff=True)
    pharmacist.groups.add(staff_groups_ensure()[PHARMACISTS])
    pack = Product.objects.get(upc=f"{drug.product.upc}-10-30")
    order = place_order(product=pack, email="guest@example.com")
    actions.order_approve(order=order, actor=pharmacist)
    mail.outbox.clear()
    return order


def link_of(order) -> dict:
    return {"order_number": order.number, "hash": order.verification_hash()}


def ask_for_an_account(client, order):
    """Prove the order as Oscar asks (link + email), then choose a password."""
    link = link_of(order)
    client.post(
        reverse("customer:anon-order-form", kwargs=link), {"email": order.email}
    )
    return client.post(
        reverse("guest-account", kwargs=link),
        {"password1": PASSWORD, "password2": PASSWORD},
    )


def answer(response) -> str:
    return CSRF.sub("", response.content.decode())


def test_asking_gives_check_your_inbox_and_no_account_yet(client, approved_guest_order):
    response = ask_for_an_account(client, approved_guest_order)

    assert response.status_code == 200
    assert "Check your inbox" in text(page(response))
    assert "_auth_user_id" not in client.session
    user = get_user_model().objects.get(email="guest@example.com")
    assert not user.is_active
    approved_guest_order.refresh_from_db()
    assert approved_guest_order.user is None


def test_the_answer_is_the_same_for_a_known_email_and_says_nothing(
    client, drug, approved_guest_order
):
    new_email = ask_for_an_account(client, approved_guest_order)
    other = Product.objects.get(upc=f"{drug.product.upc}-10-30")
    known = place_order(product=other, email="known@example.com")
    UserFactory(username="known", email="known@example.com")
    client.cookies.clear()
    known_email = ask_for_an_account(client, known)

    assert "already exists" not in answer(known_email)
    assert answer(known_email).replace("known@example.com", "EMAIL") == answer(
        new_email
    ).replace("guest@example.com", "EMAIL")
    assert "_auth_user_id" not in client.session
    known.refresh_from_db()
    assert known.user is None


def test_following_the_emailed_link_opens_the_account_with_the_order_in_it(
    client, approved_guest_order
):
    ask_for_an_account(client, approved_guest_order)
    [message] = mail.outbox
    assert message.to == ["guest@example.com"]
    path = re.search(r"https?://[^/\s]+(/accounts/activate/\S+)", message.body).group(1)

    response = client.get(path)

    assert response["Location"] == reverse("refills:list")
    approved_guest_order.refresh_from_db()
    assert approved_guest_order.user.email == "guest@example.com"
    assert approved_guest_order.user.is_active
    body = text(page(client.get(reverse("refills:list"))))
    assert f"RX-{approved_guest_order.prescription.record.pk:06d}" in body


def test_the_link_needs_the_orders_hash_and_email(client, approved_guest_order):
    link = {"order_number": approved_guest_order.number, "hash": "not-the-hash"}
    client.post(
        reverse("customer:anon-order-form", kwargs=link), {"email": "guest@example.com"}
    )

    response = client.post(
        reverse("guest-account", kwargs=link),
        {"password1": PASSWORD, "password2": PASSWORD},
    )

    assert response.status_code == 302
    assert not get_user_model().objects.filter(email="guest@example.com").exists()
    assert mail.outbox == []
