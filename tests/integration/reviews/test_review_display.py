"""What the product page shows of reviews: approved ones only, each with its
rating, title, text, name, date and "Verified buyer" badge; sorting, paging,
helpfulness votes; never a reviewer's email; and a fixed number of queries."""

from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils import dateformat, timezone

from catalog.reviews.models import ProductReview, Vote
from tests.checkout_helpers import place_order
from tests.factories import UserFactory, make_drug
from tests.html import find_all, find_one, page, text
from tests.integration.reviews.conftest import (
    add_review,
    logged_in,
    messages_on,
    pack_of,
    review_item,
    shown_titles,
    vote_url,
)

pytestmark = pytest.mark.django_db

MAX_QUERIES = 10


def product_page(client, product, **params):
    return page(client.get(product.get_absolute_url(), params))


def has_badge(root, review) -> bool:
    item = review_item(root, review)
    badges = find_all(item, "span", cls="badge-verified")
    assert len(badges) <= 1
    return bool(badges) and text(badges[0]) == "Verified buyer"


# Which reviews are shown, and what each shows


def test_only_approved_reviews_are_shown(client, product):
    add_review(product, title="Approved one")
    add_review(product, title="Waiting one", status=ProductReview.FOR_MODERATION)
    add_review(product, title="Rejected one", status=ProductReview.REJECTED)
    add_review(make_drug(title="Tizanidine").product, title="Other drug's")

    root = product_page(client, product)

    assert shown_titles(root) == ["Approved one"]
    html = text(root)
    for hidden in ("Waiting one", "Rejected one", "Other drug's"):
        assert hidden not in html
    assert "from 1 review" in html


def test_each_review_shows_rating_title_text_name_and_date(client, product):
    review = add_review(
        product,
        score=3,
        title="Worked, with drowsiness",
        body="First week was hard.\nThen fine.",
        name="Kim",
    )

    item = review_item(product_page(client, product), review)

    assert text(find_one(item, "h3")) == "Worked, with drowsiness"
    stars = find_one(item, "span", cls="stars")
    assert stars.attrs["role"] == "img"
    assert stars.attrs["aria-label"] == "Rated 3 out of 5"
    assert text(stars) == "★★★☆☆"
    assert text(find_one(item, "span", cls="reviewer")) == "Kim"
    body = find_one(item, "div", cls="review-body")
    assert "First week was hard." in text(body) and "Then fine." in text(body)
    when = find_one(item, "time")
    local = timezone.localtime(review.date_created)
    assert text(when) == dateformat.format(local, "j F Y")
    assert when.attrs["datetime"] == dateformat.format(local, "c")


def test_summary_shows_average_count_and_bars(client, product):
    for score in (5, 4, 4):
        add_review(product, score=score)

    root = product_page(client, product)

    summary = find_one(root, "div", cls="review-summary")
    assert "4.3 out of 5, from 3 reviews" in text(summary)
    rows = [
        [text(cell) for cell in find_all(tr, "th") + find_all(tr, "td")]
        for tr in find_all(summary, "tr")
    ]
    assert [(r[0], r[2]) for r in rows] == [
        ("5 stars", "1"),
        ("4 stars", "2"),
        ("3 stars", "0"),
        ("2 stars", "0"),
        ("1 star", "0"),
    ]
    # Widths are classes in 5% steps (a strict CSP allows no style attribute):
    # 33% and 67% show as 35% and 65%.
    widths = [
        s.attrs["class"]
        for s in find_all(summary, "span")
        if (s.attrs.get("class") or "").startswith("bar-")
    ]
    assert widths == [f"bar-{p // 5}" for p in (35, 65, 0, 0, 0)]


def test_a_name_is_shown_and_customer_when_there_is_none(client, product):
    named = add_review(product, name="Ali")
    nameless = add_review(product, name="")

    root = product_page(client, product)

    assert text(find_one(review_item(root, named), "span", cls="reviewer")) == "Ali"
    assert (
        text(find_one(review_item(root, nameless), "span", cls="reviewer"))
        == "Customer"
    )


def test_no_reviews_invites_the_first_one(client, product):
    add_review(product, status=ProductReview.FOR_MODERATION)

    root = product_page(client, product)

    assert (
        text(find_one(root, "p", cls="no-reviews"))
        == "There are no reviews yet. Be the first to review Baclofen."
    )
    assert shown_titles(root) == []
    assert not find_all(root, "div", cls="review-summary")
    assert find_one(root, "section", cls="review-form")


# Verified buyer


def test_verified_buyer_badge_for_an_account_that_ordered_a_pack(
    client, product, customer, private_root
):
    place_order(product=pack_of(product), owner=customer)
    buyer = add_review(product, user=customer, email=customer.email, name="Dana")
    other = add_review(product, user=UserFactory(), name="Not a buyer")

    root = product_page(client, product)

    assert has_badge(root, buyer)
    assert not has_badge(root, other)


def test_verified_buyer_badge_for_a_guest_who_ordered_with_that_email(
    client, product, private_root
):
    place_order(product=pack_of(product), email="guest.buyer@example.com")
    buyer = add_review(product, email="guest.buyer@example.com")
    other = add_review(product, email="someone.else@example.com")

    root = product_page(client, product)

    assert has_badge(root, buyer)
    assert not has_badge(root, other)


def test_verified_buyer_email_match_ignores_letter_case(client, product, private_root):
    place_order(product=pack_of(product), email="Guest.Buyer@Example.com")
    buyer = add_review(product, email="guest.buyer@example.com")

    assert has_badge(product_page(client, product), buyer)


def test_no_badge_for_an_order_of_another_drug(client, product, customer, private_root):
    other_drug = make_drug(title="Tizanidine").product
    place_order(product=pack_of(other_drug), owner=customer)
    place_order(product=pack_of(other_drug), email="guest.buyer@example.com")
    account = add_review(product, user=customer, email=customer.email)
    guest = add_review(product, email="guest.buyer@example.com")

    root = product_page(client, product)

    assert not has_badge(root, account)
    assert not has_badge(root, guest)


def test_no_badge_for_a_review_without_an_account_or_email(client, product):
    review = add_review(product, email="")

    assert not has_badge(product_page(client, product), review)


def test_account_review_gets_badge_once_an_order_is_placed(
    client, product, customer, private_root
):
    review = add_review(product, user=customer, email=customer.email)
    assert not has_badge(product_page(client, product), review)

    place_order(product=pack_of(product), owner=customer)

    assert has_badge(product_page(client, product), review)


def test_guest_review_gets_badge_once_that_guest_orders_in_any_letter_case(
    client, product, private_root
):
    review = add_review(product, email="guest.buyer@example.com")
    assert not has_badge(product_page(client, product), review)  # page now cached

    place_order(product=pack_of(product), email="GUEST.Buyer@example.com")

    assert has_badge(product_page(client, product), review)


# Sorting and paging


@pytest.fixture
def four_reviews(product):
    """Scores, dates and votes that sort differently under each order."""
    now = timezone.now()
    specs = [
        # title, score, days ago, delta votes, total votes
        ("Oldest, five stars", 5, 4, 1, 1),
        ("Older, one star", 1, 3, 3, 5),
        ("Newer, three stars", 3, 2, 3, 3),
        ("Newest, four stars", 4, 1, -2, 2),
    ]
    for title, score, days, delta, total in specs:
        review = add_review(product, title=title, score=score)
        ProductReview.objects.filter(pk=review.pk).update(
            date_created=now - timedelta(days=days),
            delta_votes=delta,
            total_votes=total,
        )


@pytest.mark.parametrize(
    ("sort", "order"),
    [
        (None, ["Newest", "Newer", "Older", "Oldest"]),
        ("newest", ["Newest", "Newer", "Older", "Oldest"]),
        ("highest", ["Oldest", "Newest", "Newer", "Older"]),
        ("lowest", ["Older", "Newer", "Newest", "Oldest"]),
        # Same helpfulness (+3): more votes first.
        ("helpful", ["Older", "Newer", "Oldest", "Newest"]),
        ("nonsense", ["Newest", "Newer", "Older", "Oldest"]),
    ],
)
def test_reviews_are_sorted_as_asked(client, product, four_reviews, sort, order):
    params = {"sort": sort} if sort else {}

    root = product_page(client, product, **params)

    assert [t.split(",")[0] for t in shown_titles(root)] == order
    chosen = [
        o.attrs["value"]
        for o in find_all(find_one(root, "select", name="sort"), "option")
        if "selected" in o.attrs
    ]
    assert chosen == [sort if sort in ("highest", "lowest", "helpful") else "newest"]


def test_sort_choices_are_labelled(client, product, four_reviews):
    root = product_page(client, product)

    select = find_one(root, "select", name="sort")
    labels = [
        la for la in find_all(root, "label") if la.attrs.get("for") == "review-sort"
    ]
    assert [text(la) for la in labels] == ["Sort reviews by"]
    assert [(o.attrs["value"], text(o)) for o in find_all(select, "option")] == [
        ("newest", "Newest"),
        ("highest", "Highest rated"),
        ("lowest", "Lowest rated"),
        ("helpful", "Most helpful"),
    ]


@pytest.fixture
def eleven_reviews(product):
    now = timezone.now()
    reviews = [add_review(product, title=f"Review {n:02}") for n in range(1, 12)]
    for n, review in enumerate(reviews, start=1):
        ProductReview.objects.filter(pk=review.pk).update(
            date_created=now - timedelta(hours=n)
        )
    return reviews


def test_ten_reviews_a_page_and_page_two_shows_the_eleventh(
    client, product, eleven_reviews
):
    first = product_page(client, product)
    second = product_page(client, product, reviews_page=2)

    assert shown_titles(first) == [f"Review {n:02}" for n in range(1, 11)]
    assert shown_titles(second) == ["Review 11"]
    assert "from 11 reviews" in text(second)


def test_pager_links_to_the_other_page_keeping_the_sort(
    client, product, eleven_reviews
):
    root = product_page(client, product, sort="lowest")

    pager = find_one(root, "nav", cls="pager")
    assert text(find_one(pager, "span", aria_current="page")) == "1"
    (link,) = find_all(pager, "a")
    assert link.attrs["href"] == "?sort=lowest&reviews_page=2#reviews"
    assert text(link) == "Page 2"


def test_no_pager_for_ten_reviews_or_fewer(client, product):
    for _ in range(10):
        add_review(product)

    root = product_page(client, product)

    assert len(shown_titles(root)) == 10
    assert not find_all(root, "nav", cls="pager")


@pytest.mark.parametrize(
    ("asked", "shown"), [("0", 1), ("-3", 1), ("99", 2), ("two", 1), ("", 1)]
)
def test_page_number_out_of_range_shows_the_nearest_page(
    client, product, eleven_reviews, asked, shown
):
    root = product_page(client, product, reviews_page=asked)

    expected = ["Review 11"] if shown == 2 else [f"Review {n:02}" for n in range(1, 11)]
    assert shown_titles(root) == expected


# Helpfulness votes


def vote(client, review, delta: int, **kwargs):
    return client.post(vote_url(review), {"delta": str(delta)}, **kwargs)


def test_customer_votes_once_and_a_second_vote_is_refused(product, customer):
    review = add_review(product)
    client = logged_in(customer)

    first = vote(client, review, 1, follow=True)
    second = vote(client, review, -1, follow=True)

    review.refresh_from_db()
    assert (review.total_votes, review.delta_votes) == (1, 1)
    assert Vote.objects.filter(review=review, user=customer).count() == 1
    assert messages_on(page(first)) == ["Thanks for voting!"]
    assert messages_on(page(second)) == ["You can only vote once on a review"]


def test_down_vote_counts_against(product, customer):
    review = add_review(product)

    vote(logged_in(customer), review, -1)

    review.refresh_from_db()
    assert (review.total_votes, review.delta_votes) == (1, -1)


def test_votes_are_shown_on_the_review(client, product):
    review = add_review(product)
    for delta in (1, 1, -1):
        vote(logged_in(UserFactory()), review, delta)

    item = review_item(product_page(client, product), review)

    assert (
        text(find_one(item, "p", cls="review-votes"))
        == "1 helpfulness score from 3 votes"
    )


def test_customer_cannot_vote_on_their_own_review(product, customer):
    review = add_review(product, user=customer, email=customer.email)
    client = logged_in(customer)

    root = product_page(client, product)
    assert not find_all(review_item(root, review), "form")

    response = vote(client, review, 1, follow=True)

    review.refresh_from_db()
    assert review.total_votes == 0
    assert messages_on(page(response)) == ["You cannot vote on your own reviews"]


def test_logged_in_customer_sees_vote_buttons_on_others_reviews(product, customer):
    review = add_review(product)

    item = review_item(product_page(logged_in(customer), product), review)

    form = find_one(item, "form", cls="review-vote")
    assert form.attrs["action"] == vote_url(review)
    assert [b.attrs["value"] for b in find_all(form, "button")] == ["1", "-1"]


def test_anonymous_visitor_sees_no_vote_buttons(client, product):
    review = add_review(product)

    assert not find_all(review_item(product_page(client, product), review), "form")


def test_anonymous_vote_redirects_to_login(client, product):
    review = add_review(product)

    response = vote(client, review, 1)

    assert response.status_code == 302
    login = resolve_url(django_settings.LOGIN_URL)
    assert response.url.startswith(login + "?next=")
    assert vote_url(review) in response.url.replace("%2F", "/")
    assert client.get(response.url).status_code == 200
    review.refresh_from_db()
    assert review.total_votes == 0


@pytest.mark.parametrize(
    "status", [ProductReview.FOR_MODERATION, ProductReview.REJECTED]
)
def test_unpublished_reviews_cannot_be_voted_on(product, customer, status):
    review = add_review(product, status=status)

    response = vote(logged_in(customer), review, 1)

    assert response.status_code == 404
    review.refresh_from_db()
    assert review.total_votes == 0


@pytest.mark.parametrize(
    "status", [ProductReview.FOR_MODERATION, ProductReview.REJECTED]
)
def test_unpublished_reviews_have_no_public_page(client, product, status):
    review = add_review(product, status=status, title="Not for the public")
    url = reverse(
        "catalogue:reviews-detail",
        kwargs={
            "product_slug": product.slug,
            "product_pk": product.pk,
            "pk": review.pk,
        },
    )

    response = client.get(url)

    assert response.status_code == 404
    assert "Not for the public" not in response.content.decode()


def test_review_page_belongs_to_its_product(client, product):
    review = add_review(product)
    other = make_drug(title="Tizanidine").product
    url = reverse(
        "catalogue:reviews-detail",
        kwargs={"product_slug": other.slug, "product_pk": other.pk, "pk": review.pk},
    )

    assert client.get(url).status_code == 404


# A reviewer's email is never shown


EMAILS = ("guest.reviewer@example.com", "dana.lee@example.com")
