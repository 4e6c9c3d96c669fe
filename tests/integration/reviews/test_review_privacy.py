"""No reviewer's email on any page, and product pages whose queries do not
grow with the number of reviews."""

import io
import re

import pytest
from django.core.cache import cache, caches
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from catalog.models import ProductImage
from catalog.reviews.models import ProductReview
from tests.checkout_helpers import place_order
from tests.factories import UserFactory, make_drug
from tests.html import find_one, page, text
from tests.integration.reviews.conftest import (
    add_review,
    logged_in,
    pack_of,
    post_review,
    review_item,
    review_url,
)
from tests.integration.reviews.test_review_display import (  # noqa: F401  helpers and fixtures
    EMAILS,
    MAX_QUERIES,
    has_badge,
    vote,
)

pytestmark = pytest.mark.django_db


def assert_no_email(response) -> None:
    html = response.content.decode().lower()
    for email in EMAILS:
        assert email not in html, response.request["PATH_INFO"]
        # Nor in a mailto: link, nor escaped.
        assert email.replace("@", "&#64;") not in html
    assert "mailto:" not in html


@pytest.fixture
def reviews_with_emails(product, customer, private_root):
    place_order(product=pack_of(product), owner=customer)
    place_order(product=pack_of(product), email=EMAILS[0])
    guest = add_review(product, name="Guest Reviewer", email=EMAILS[0])
    account = add_review(product, user=customer, email=customer.email, name="")
    return guest, account


def test_no_reviewer_email_on_the_product_page(client, product, reviews_with_emails):
    guest, account = reviews_with_emails

    for who in (client, logged_in(UserFactory())):
        response = who.get(product.get_absolute_url())
        assert_no_email(response)
        root = page(response)
        assert has_badge(root, guest) and has_badge(root, account)
        assert text(find_one(review_item(root, account), "span", cls="reviewer")) == (
            "Customer"
        )


def test_no_reviewer_email_on_the_review_form_page_with_errors(
    client, product, reviews_with_emails
):
    response = post_review(client, product, title="", email="third@example.com")

    assert response.status_code == 200
    assert_no_email(response)


def test_no_reviewer_email_after_voting(product, reviews_with_emails):
    guest, account = reviews_with_emails
    voter = logged_in(UserFactory())

    for review in (guest, account, guest):  # the last one is refused
        response = vote(voter, review, 1, follow=True)
        assert response.redirect_chain
        assert_no_email(response)


def test_no_reviewer_email_on_the_review_list_and_review_pages(
    client, product, reviews_with_emails
):
    kwargs = {"product_slug": product.slug, "product_pk": product.pk}
    urls = [reverse("catalogue:reviews-list", kwargs=kwargs), review_url(product)]
    urls += [
        reverse("catalogue:reviews-detail", kwargs={**kwargs, "pk": r.pk})
        for r in reviews_with_emails
    ]

    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_no_email(response)


def test_account_holder_does_not_see_their_email_in_their_review(
    product, customer, reviews_with_emails
):
    _, account = reviews_with_emails

    response = logged_in(customer).get(product.get_absolute_url())

    item = review_item(page(response), account)
    assert customer.email not in str(item.raw_text)
    assert_no_email(response)


# Queries


@pytest.fixture
def fresh_media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    cache.clear()
    yield
    cache.clear()


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (48, 48), "#336699").save(buffer, format="PNG")
    return buffer.getvalue()


def approved_reviews(product, n: int) -> None:
    ProductReview.objects.bulk_create(
        ProductReview(
            product=product,
            score=1 + i % 5,
            title=f"Bulk review {i}",
            body="Text " * 40,
            name=f"Bulk {i}",
            email=f"bulk{i}@example.com",
            status=ProductReview.APPROVED,
            total_votes=i % 7,
            delta_votes=i % 3,
        )
        for i in range(n)
    )


def get_counted(client, url: str, *, cached: bool, assert_num_queries=None):
    """An anonymous visitor's request after a warm-up one (thumbnails, cookies).
    Uncached: the catalogue cache is emptied first, as when it has expired or
    when there is no shared cache (the catalogue cache is then a dummy)."""
    assert client.get(url).status_code == 200
    if not cached:
        caches["catalog"].clear()
    if assert_num_queries is not None:
        with assert_num_queries:
            response = client.get(url)
        return None, response.content.decode()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries.captured_queries), response.content.decode()


@pytest.mark.parametrize("cached", [False, True], ids=["uncached", "cached"])
@pytest.mark.parametrize("sort", ["newest", "helpful"])
def test_product_page_queries_do_not_grow_with_the_number_of_reviews(
    client, django_assert_num_queries, fresh_media, private_root, sort, cached
):
    none = make_drug(title="Unreviewed", sections=3).product
    many = make_drug(title="Reviewed", sections=3).product
    for product in (none, many):
        ProductImage.objects.create(
            product=product,
            original=ContentFile(_png(), name="pack.png"),
            caption="Pack",
            display_order=0,
        )
    approved_reviews(many, 500)
    # Verified buyers among them, and pending reviews that must not count.
    place_order(product=pack_of(many), email="bulk1@example.com")
    for i in range(20):
        add_review(many, status=ProductReview.FOR_MODERATION, email=f"p{i}@example.com")
    url_none = none.get_absolute_url() + f"?sort={sort}"
    url_many = many.get_absolute_url() + f"?sort={sort}&reviews_page=7"

    count_none, html_none = get_counted(client, url_none, cached=cached)
    count_many, _ = get_counted(client, url_many, cached=cached)
    _, html_many = get_counted(
        client,
        url_many,
        cached=cached,
        assert_num_queries=django_assert_num_queries(count_none),
    )

    print(
        f"\nproduct page queries, {sort}, cached={cached}: {count_none} vs {count_many}"
    )
    assert count_none <= MAX_QUERIES
    assert count_many == count_none
    assert "There are no reviews yet." in html_none
    assert "from 500 reviews" in html_many
    assert len(re.findall(r'<li class="review" id="review-\d+">', html_many)) == 10
    assert "/media/cache/" in html_many
