"""Moderating reviews in the admin: the queue (pending first, filters), the
approve and reject actions, who may use them, and what a pharmacist sees."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from catalog.reviews import services
from catalog.reviews.models import ProductReview
from tests.checkout_helpers import place_order
from tests.factories import UserFactory, make_drug
from tests.html import find_all, find_one, page, text
from tests.integration.reviews.conftest import (
    add_review,
    logged_in,
    pack_of,
    post_review,
    shown_titles,
)

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:reviews_productreview_changelist")
PENDING, APPROVED, REJECTED = (
    ProductReview.FOR_MODERATION,
    ProductReview.APPROVED,
    ProductReview.REJECTED,
)


def listed(client, **params) -> list[int]:
    """Primary keys of the reviews on the changelist, in order."""
    response = client.get(CHANGELIST, params)
    assert response.status_code == 200
    return [
        int(pk)
        for pk in re.findall(
            r'<input type="checkbox" name="_selected_action" value="(\d+)"',
            response.content.decode(),
        )
    ]


def run_action(client, action: str, reviews, follow=False):
    return client.post(
        CHANGELIST,
        {
            "action": action,
            "_selected_action": [str(r.pk) for r in reviews],
            "index": "0",
        },
        follow=follow,
    )


def action_names(response) -> list[str]:
    select = find_all(page(response), "select", name="action")
    if not select:
        return []
    return [o.attrs["value"] for o in find_all(select[0], "option") if o.attrs["value"]]


def status_of(review) -> int:
    review.refresh_from_db()
    return review.status


@pytest.fixture
def moderator_client(moderator):
    return logged_in(moderator)


@pytest.fixture
def pharmacist_client(pharmacist):
    return logged_in(pharmacist)


@pytest.fixture(params=["moderator", "pharmacist"])
def who_moderates(request):
    """A review moderator, then a pharmacist: both may moderate."""
    return request.getfixturevalue(request.param)


# The queue


def test_pending_reviews_are_listed_first(moderator_client, product):
    now = timezone.now()
    ages = {}
    for title, status, hours in [
        ("newest approved", APPROVED, 1),
        ("older pending", PENDING, 5),
        ("newest rejected", REJECTED, 2),
        ("newer pending", PENDING, 3),
        ("oldest approved", APPROVED, 9),
    ]:
        review = add_review(product, title=title, status=status)
        ProductReview.objects.filter(pk=review.pk).update(
            date_created=now - timedelta(hours=hours)
        )
        ages[title] = review.pk

    order = listed(moderator_client)

    assert order == [
        ages[t]
        for t in (
            "newer pending",
            "older pending",
            "newest approved",
            "newest rejected",
            "oldest approved",
        )
    ]


def test_changelist_shows_status_product_score_and_title(moderator_client, product):
    add_review(product, title="Clear to read", score=2, status=PENDING)

    root = page(moderator_client.get(CHANGELIST))

    (row,) = find_all(find_one(root, "table", id="result_list"), "tr")[1:]
    cells = {
        cls.removeprefix("field-"): text(cell)
        for cell in find_all(row, "td") + find_all(row, "th")
        for cls in (cell.attrs.get("class") or "").split()
        if cls.startswith("field-")
    }
    assert cells["title"] == "Clear to read"
    assert cells["product"] == "Baclofen"
    assert cells["score"] == "2"
    assert cells["status_label"] == "Requires moderation"


@pytest.fixture
def mixed_reviews(product, customer, private_root):
    """One review for each filter to find, and some it must leave out."""
    place_order(product=pack_of(product), owner=customer)
    return {
        "pending_5": add_review(product, score=5, status=PENDING),
        "approved_3": add_review(product, score=3, status=APPROVED),
        "rejected_1": add_review(product, score=1, status=REJECTED),
        "side_effect": add_review(
            product, score=2, status=PENDING, side_effect_reported=True
        ),
        "buyer": add_review(
            product, score=4, status=APPROVED, user=customer, email=customer.email
        ),
    }


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status__exact": PENDING}, {"pending_5", "side_effect"}),
        ({"status__exact": APPROVED}, {"approved_3", "buyer"}),
        ({"status__exact": REJECTED}, {"rejected_1"}),
        ({"score__exact": 5}, {"pending_5"}),
        ({"score__exact": 2}, {"side_effect"}),
        ({"verified": "yes"}, {"buyer"}),
        ({"verified": "no"}, {"pending_5", "approved_3", "rejected_1", "side_effect"}),
        ({"side_effect_reported__exact": 1}, {"side_effect"}),
        (
            {"side_effect_reported__exact": 0},
            {"pending_5", "approved_3", "rejected_1", "buyer"},
        ),
        ({"status__exact": PENDING, "side_effect_reported__exact": 1}, {"side_effect"}),
        ({}, {"pending_5", "approved_3", "rejected_1", "side_effect", "buyer"}),
    ],
)
def test_filters_narrow_the_list(moderator_client, mixed_reviews, params, expected):
    by_pk = {r.pk: name for name, r in mixed_reviews.items()}

    shown = {by_pk[pk] for pk in listed(moderator_client, **params)}

    assert shown == expected


def test_filters_are_offered(moderator_client, mixed_reviews):
    html = moderator_client.get(CHANGELIST).content.decode()

    for choice in (
        "?status__exact=0",
        "?score__exact=5",
        "?verified=yes",
        "?verified=no",
        "?side_effect_reported__exact=1",
    ):
        assert choice in html, choice


# Approving and rejecting


def test_approve_action_publishes_and_records_the_moderator(who_moderates, product):
    first = add_review(product, status=PENDING)
    second = add_review(product, status=PENDING)
    left = add_review(product, status=PENDING)
    before = timezone.now()

    response = run_action(
        logged_in(who_moderates), "approve_reviews", [first, second], follow=True
    )

    assert response.status_code == 200
    assert "2 review(s) approved and published." in response.content.decode()
    for review in (first, second):
        review.refresh_from_db()
        assert review.status == APPROVED
        assert review.moderated_by == who_moderates
        assert review.moderated_at >= before
    left.refresh_from_db()
    assert (left.status, left.moderated_by, left.moderated_at) == (PENDING, None, None)


def test_reject_action_hides_and_records_the_moderator(who_moderates, product):
    review = add_review(product, status=APPROVED)

    response = run_action(
        logged_in(who_moderates), "reject_reviews", [review], follow=True
    )

    assert "1 review(s) rejected." in response.content.decode()
    review.refresh_from_db()
    assert review.status == REJECTED
    assert review.moderated_by == who_moderates
    assert review.moderated_at is not None


def test_approving_an_approved_review_changes_nothing(moderator, pharmacist, product):
    review = add_review(product, status=PENDING)
    run_action(logged_in(pharmacist), "approve_reviews", [review])

    response = run_action(
        logged_in(moderator), "approve_reviews", [review], follow=True
    )

    assert "0 review(s) approved and published." in response.content.decode()
    review.refresh_from_db()
    assert review.moderated_by == pharmacist


def test_moderators_see_both_actions(who_moderates, product):
    add_review(product, status=PENDING)

    response = logged_in(who_moderates).get(CHANGELIST)

    assert set(action_names(response)) >= {"approve_reviews", "reject_reviews"}


def test_approving_shows_at_once_in_the_public_summary(
    client, moderator_client, product
):
    review = add_review(product, score=5, status=PENDING, title="Now public")
    add_review(product, score=2, status=APPROVED, title="Already public")
    before = text(page(client.get(product.get_absolute_url())))
    assert "2.0 out of 5, from 1 review" in before  # and now cached

    run_action(moderator_client, "approve_reviews", [review])

    root = page(client.get(product.get_absolute_url()))
    assert "3.5 out of 5, from 2 reviews" in text(root)
    assert set(shown_titles(root)) == {"Now public", "Already public"}


def test_rejecting_shows_at_once_in_the_public_summary(
    client, moderator_client, product
):
    review = add_review(product, score=5, title="Going away")
    assert "from 1 review" in client.get(product.get_absolute_url()).content.decode()

    run_action(moderator_client, "reject_reviews", [review])

    root = page(client.get(product.get_absolute_url()))
    assert shown_titles(root) == []
    assert "There are no reviews yet." in text(root)


def test_a_posted_review_goes_live_only_after_approval(
    client, moderator_client, product
):
    post_review(client, product)
    assert shown_titles(page(client.get(product.get_absolute_url()))) == []

    run_action(moderator_client, "approve_reviews", [ProductReview.objects.get()])

    root = page(client.get(product.get_absolute_url()))
    assert shown_titles(root) == ["Eased my back spasms"]
    assert "4.0 out of 5, from 1 review" in text(root)


# Who may not


@pytest.fixture(params=["price_editor_user", "plain_staff"])
def not_a_moderator(request):
    return request.getfixturevalue(request.param)


def test_price_editor_and_plain_staff_cannot_see_reviews(not_a_moderator, product):
    review = add_review(product, status=PENDING, email="private@example.com")
    client = logged_in(not_a_moderator)

    assert client.get(CHANGELIST).status_code == 403
    change = reverse("admin:reviews_productreview_change", args=[review.pk])
    assert client.get(change).status_code == 403
    index = client.get(reverse("admin:index")).content.decode()
    assert CHANGELIST not in index
    assert "private@example.com" not in index


@pytest.mark.parametrize("action", ["approve_reviews", "reject_reviews"])
def test_price_editor_and_plain_staff_cannot_run_the_actions(
    not_a_moderator, product, action
):
    review = add_review(product, status=PENDING)

    response = run_action(logged_in(not_a_moderator), action, [review])

    assert response.status_code == 403
    review.refresh_from_db()
    assert (review.status, review.moderated_by) == (PENDING, None)


def test_staff_who_may_only_view_reviews_get_no_actions(product):
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(
        Permission.objects.get(
            content_type__app_label="reviews", codename="view_productreview"
        )
    )
    review = add_review(product, status=PENDING)
    client = logged_in(viewer)

    response = client.get(CHANGELIST)
    assert response.status_code == 200
    assert "approve_reviews" not in action_names(response)
    assert "reject_reviews" not in action_names(response)

    run_action(client, "approve_reviews", [review])
    assert status_of(review) == PENDING


def test_customers_cannot_reach_the_admin(customer, product):
    review = add_review(product, status=PENDING)

    response = run_action(logged_in(customer), "approve_reviews", [review])

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))
    assert status_of(review) == PENDING


@pytest.mark.parametrize("approve", [True, False])
def test_service_refuses_anyone_without_the_permission(
    price_editor_user, product, approve
):
    review = add_review(product, status=PENDING)

    with pytest.raises(PermissionError):
        services.reviews_moderate(
            reviews=[review], actor=price_editor_user, approve=approve
        )
    with pytest.raises(PermissionError):
        services.reviews_moderate(reviews=[review], actor=None, approve=approve)
    assert status_of(review) == PENDING


def test_nobody_may_edit_or_add_a_review_in_the_admin(pharmacist_client, product):
    review = add_review(product, status=PENDING, title="The customer's words")

    change = reverse("admin:reviews_productreview_change", args=[review.pk])
    response = pharmacist_client.post(
        change, {"title": "Edited by staff", "status": APPROVED}
    )

    assert response.status_code == 403
    review.refresh_from_db()
    assert (review.title, review.status) == ("The customer's words", PENDING)
    add = reverse("admin:reviews_productreview_add")
    assert pharmacist_client.get(add).status_code == 403


# What the pharmacist sees


def test_pharmacist_sees_the_side_effect_flag_and_the_customers_email(
    pharmacist_client, product
):
    flagged = add_review(
        product,
        status=PENDING,
        side_effect_reported=True,
        name="Worried Patient",
        email="worried.patient@example.com",
    )
    plain = add_review(product, status=PENDING, email="fine@example.com")

    root = page(pharmacist_client.get(CHANGELIST))

    rows = {
        int(find_one(tr, "input", name="_selected_action").attrs["value"]): tr
        for tr in find_all(find_one(root, "table", id="result_list"), "tr")[1:]
    }
    flag = find_one(rows[flagged.pk], "td", cls="field-side_effect_reported")
    assert find_one(flag, "img").attrs["alt"] == "True"
    no_flag = find_one(rows[plain.pk], "td", cls="field-side_effect_reported")
    assert find_one(no_flag, "img").attrs["alt"] == "False"
    reviewer = find_one(rows[flagged.pk], "td", cls="field-reviewer")
    assert "Worried Patient" in text(reviewer)
    link = find_one(reviewer, "a")
    assert link.attrs["href"] == "mailto:worried.patient@example.com"
    assert text(link) == "worried.patient@example.com"


def test_pharmacist_sees_the_full_review_with_its_contact_details(
    pharmacist_client, product
):
    review = add_review(
        product,
        status=PENDING,
        side_effect_reported=True,
        body="Dizzy after the second dose.",
        email="worried.patient@example.com",
    )

    response = pharmacist_client.get(
        reverse("admin:reviews_productreview_change", args=[review.pk])
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Dizzy after the second dose." in html
    assert "worried.patient@example.com" in html
    assert "describes a side effect" in html.lower()


def test_markup_in_a_review_is_escaped_in_the_admin(pharmacist_client, product):
    add_review(
        product,
        status=PENDING,
        title="<script>alert('t')</script>",
        name="<b>Eve</b>",
        email="eve@example.com",
    )

    html = pharmacist_client.get(CHANGELIST).content.decode()

    assert "<script>alert('t')" not in html
    assert "<b>Eve</b>" not in html
    assert "&lt;b&gt;Eve&lt;/b&gt;" in html


def test_other_products_reviews_are_moderated_separately(moderator_client, product):
    other = make_drug(title="Tizanidine").product
    here = add_review(product, status=PENDING)
    there = add_review(other, status=PENDING)

    run_action(moderator_client, "approve_reviews", [here])

    assert status_of(here) == APPROVED
    assert status_of(there) == PENDING
