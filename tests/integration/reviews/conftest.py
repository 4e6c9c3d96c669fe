"""Shared helpers for the review tests: reviews built in the database, reviews
posted through the real form, staff in each role, and a small HTML tree."""

import itertools

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from catalog.models import Product
from catalog.reviews.models import ProductReview
from pharmacy.staff.groups import staff_groups_ensure
from pharmacy.staff.roles import PHARMACISTS, PRICE_EDITORS, REVIEW_MODERATORS
from tests.factories import UserFactory
from tests.html import Node, find_all, find_one, text

MODERATION_MESSAGE = "Thank you! Your review will appear once it has been approved."
GUEST_IP = "203.0.113.7"

# What a guest types into the form; tests change one thing at a time.
GUEST_REVIEW = {
    "score": "4",
    "title": "Eased my back spasms",
    "body": "Took it for a month; drowsy at first.",
    "name": "Robin",
    "email": "robin@example.com",
}

_serial = itertools.count(1)


def add_review(product, *, status=ProductReview.APPROVED, **fields) -> ProductReview:
    """A review saved straight to the database (approved unless told)."""
    n = next(_serial)
    values = {
        "score": 4,
        "title": f"Review number {n}",
        "body": f"The body of review number {n}.",
        "name": f"Reviewer {n}",
        "email": f"reviewer{n}@example.com",
        **fields,
    }
    return ProductReview.objects.create(product=product, status=status, **values)


def review_url(product) -> str:
    return reverse(
        "catalogue:reviews-add",
        kwargs={"product_slug": product.slug, "product_pk": product.pk},
    )


def vote_url(review) -> str:
    return reverse(
        "catalogue:reviews-vote",
        kwargs={
            "product_slug": review.product.slug,
            "product_pk": review.product_id,
            "pk": review.pk,
        },
    )


def post_review(client, product, *, ip: str = GUEST_IP, follow=False, **changes):
    """POST the review form as a browser would; a change of None leaves the
    field out."""
    data = {k: v for k, v in {**GUEST_REVIEW, **changes}.items() if v is not None}
    return client.post(review_url(product), data, follow=follow, REMOTE_ADDR=ip)


def pack_of(product) -> Product:
    """A sellable pack (child product) of a drug's product."""
    return product.children.order_by("pk").first()


def logged_in(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def staff_in(group: str):
    user = UserFactory(is_staff=True)
    user.groups.add(staff_groups_ensure()[group])
    return user


@pytest.fixture(autouse=True)
def fresh_catalog_cache():
    """The catalogue cache lives in this process across tests, keyed by product
    id, and SQLite gives a rolled-back id out again: start each test empty."""
    caches["catalog"].clear()
    yield
    caches["catalog"].clear()


@pytest.fixture
def moderator(db):
    return staff_in(REVIEW_MODERATORS)


@pytest.fixture
def pharmacist(db):
    return staff_in(PHARMACISTS)


@pytest.fixture
def price_editor_user(db):
    return staff_in(PRICE_EDITORS)


@pytest.fixture
def plain_staff(db):
    return UserFactory(is_staff=True)


@pytest.fixture
def customer(db):
    return UserFactory(
        username="dana",
        email="dana.lee@example.com",
        first_name="Dana",
        last_name="Lee",
    )


def messages_on(root: Node) -> list[str]:
    return [text(m) for m in find_all(root, "div", cls="message")]


def shown_reviews(root: Node) -> list[Node]:
    """The <li> of each review in the product page's list, in order."""
    return find_all(root, "li", cls="review")


def shown_titles(root: Node) -> list[str]:
    return [text(find_one(li, "h3")) for li in shown_reviews(root)]


def review_item(root: Node, review) -> Node:
    return find_one(root, "li", id=f"review-{review.pk}")


def field_box(root: Node, name: str) -> Node:
    """The element holding a review-form field with its label, hint and errors."""
    form = find_one(root, "section", cls="review-form")
    for box in find_all(form, "div", cls="field") + find_all(form, "fieldset"):
        if find_all(box, "input", name=name) or find_all(box, "textarea", name=name):
            return box
    raise AssertionError(f"no field called {name!r} in the review form")
