"""Licences and the four policy pages: linked from every page's footer,
editable in the admin, marked as templates until counsel has reviewed them."""

import pytest
from django.urls import reverse

from pharmacy.compliance.models import PolicyKind, PolicyPage
from tests.factories import UserFactory
from tests.html import find_all, find_one, page, text

pytestmark = pytest.mark.django_db

FOOTER_LINKS = {
    "Licences": reverse("compliance:licences"),
    "Notice of Privacy Practices": "/legal/notice-of-privacy-practices/",
    "Privacy policy": "/legal/privacy-policy/",
    "Terms of sale": "/legal/terms-of-sale/",
    "Returns policy": "/legal/returns/",
}


def footer_links(response) -> dict[str, str]:
    footer = find_one(page(response), "footer")
    return {text(a): a.attrs["href"] for a in find_all(footer, "a")}


@pytest.fixture
def customer(db):
    return UserFactory()


def shopper_pages(product) -> list[str]:
    return [
        reverse("home"),
        reverse("catalogue:index"),
        product.get_absolute_url(),
        reverse("basket:summary"),
        reverse("checkout:index"),
        reverse("customer:login"),
        reverse("compliance:licences"),
        *(reverse("compliance:policy", kwargs={"kind": k}) for k in PolicyKind.values),
    ]


def test_every_page_has_the_licence_and_policy_links_in_its_footer(client, product):
    # A pack in the basket, so the checkout pages open instead of redirecting.
    client.post(
        reverse(
            "catalogue:add-variant",
            kwargs={"product_slug": product.slug, "pk": product.pk},
        ),
        {"strength": "10", "pack": "30", "quantity": 1},
    )
    for url in shopper_pages(product):
        response = client.get(url)
        assert response.status_code == 200, url
        assert footer_links(response).items() >= FOOTER_LINKS.items(), url


def test_signed_in_account_pages_have_the_footer_links_too(client, customer):
    client.force_login(customer)
    for url in (reverse("customer:profile-view"), reverse("customer:order-list")):
        response = client.get(url)
        assert response.status_code == 200, url
        assert footer_links(response).items() >= FOOTER_LINKS.items(), url


def test_each_footer_link_opens_its_page(client):
    for title, url in FOOTER_LINKS.items():
        response = client.get(url)
        assert response.status_code == 200, url
        assert text(find_one(page(response), "h1")) == title


def test_returns_policy_says_dispatched_prescription_medicines_cannot_be_returned(
    client,
):
    body = client.get(FOOTER_LINKS["Returns policy"]).content.decode()
    assert "cannot be returned once they have been dispatched" in body


def test_demo_texts_are_marked_as_templates_until_counsel_reviews_them(client):
    url = FOOTER_LINKS["Notice of Privacy Practices"]
    assert "must be reviewed by the pharmacy's counsel" in text(page(client.get(url)))
    PolicyPage.objects.filter(kind=PolicyKind.PRIVACY_NOTICE).update(
        is_template=False, body="Our reviewed notice."
    )
    response = client.get(url)
    assert "must be reviewed" not in response.text
    assert "Our reviewed notice." in response.text


def test_staff_edit_a_policy_text_in_the_admin(client, admin_user):
    client.force_login(admin_user)
    policy = PolicyPage.objects.get(kind=PolicyKind.RETURNS)
    url = reverse("admin:compliance_policypage_change", args=[policy.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"title": "Returns", "body": "New text.", "is_template": ""}
    )
    assert response.status_code == 302
    policy.refresh_from_db()
    assert (policy.body, policy.is_template) == ("New text.", False)


def test_an_unknown_policy_is_not_found(client):
    assert client.get("/legal/cookies/").status_code == 404
