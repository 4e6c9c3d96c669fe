"""A review that describes a side effect is the pharmacist's: a moderator
cannot publish it, alone or in a bulk action, and the pharmacist publishes it
only after recording the follow-up (who, when, what)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from catalog.reviews import services
from catalog.reviews.models import ProductReview, SideEffectFollowUp
from tests.integration.reviews.conftest import add_review, logged_in

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:reviews_productreview_changelist")
FOLLOW_UP_ADD = reverse("admin:reviews_sideeffectfollowup_add")
PENDING, APPROVED = ProductReview.FOR_MODERATION, ProductReview.APPROVED


def approve(client, *reviews):
    return client.post(
        CHANGELIST,
        {
            "action": "approve_reviews",
            "_selected_action": [str(r.pk) for r in reviews],
            "index": "0",
        },
        follow=True,
    )


def status_of(review) -> int:
    review.refresh_from_db()
    return review.status


@pytest.fixture
def reports(product):
    plain = add_review(product, status=PENDING, title="Works well")
    side_effect = add_review(
        product, status=PENDING, title="Dizzy all week", side_effect_reported=True
    )
    return plain, side_effect


def test_a_moderators_bulk_approval_leaves_the_side_effect_report_pending(
    moderator, reports
):
    plain, side_effect = reports

    response = approve(logged_in(moderator), plain, side_effect)

    assert status_of(plain) == APPROVED
    assert status_of(side_effect) == PENDING
    assert "1 review(s) approved" in response.text
    assert "1 review(s) describe a side effect" in response.text
    page = logged_in(None).get(side_effect.product.get_absolute_url()).text
    assert "Dizzy all week" not in page


def test_a_moderator_cannot_reject_it_either(moderator, reports):
    _, side_effect = reports

    services.reviews_moderate(reviews=[side_effect], actor=moderator, approve=False)

    assert status_of(side_effect) == PENDING


def test_the_pharmacist_cannot_publish_it_before_the_follow_up(pharmacist, reports):
    _, side_effect = reports

    approve(logged_in(pharmacist), side_effect)

    assert status_of(side_effect) == PENDING


def test_the_pharmacist_records_the_follow_up_then_publishes(pharmacist, reports):
    _, side_effect = reports
    client = logged_in(pharmacist)
    review_page = reverse("admin:reviews_productreview_change", args=[side_effect.pk])
    assert "Record the follow-up" in client.get(review_page).text
    form = client.get(FOLLOW_UP_ADD, {"review": side_effect.pk}).text
    assert f'<option value="{side_effect.pk}" selected>' in form

    response = client.post(
        FOLLOW_UP_ADD,
        {
            "review": str(side_effect.pk),
            "notes": "Phoned the customer: dizziness easing; reported to MedWatch.",
        },
        follow=True,
    )

    follow_up = SideEffectFollowUp.objects.get(review=side_effect)
    assert follow_up.recorded_by == pharmacist
    assert follow_up.recorded_at is not None
    assert "reported to MedWatch" in follow_up.notes
    assert "reported to MedWatch" in response.text  # back on the review's page
    approve(client, side_effect)
    assert status_of(side_effect) == APPROVED
    side_effect.refresh_from_db()
    assert side_effect.moderated_by == pharmacist


def test_a_moderator_cannot_record_a_follow_up_from_the_page_or_the_service(
    moderator, reports
):
    _, side_effect = reports
    client = logged_in(moderator)
    review_page = reverse("admin:reviews_productreview_change", args=[side_effect.pk])
    assert "Waiting for the pharmacist" in client.get(review_page).text

    response = client.post(
        FOLLOW_UP_ADD, {"review": str(side_effect.pk), "notes": "Looks fine to me."}
    )
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        services.side_effect_follow_up_record(
            review=side_effect, actor=moderator, notes="Looks fine to me."
        )

    assert not SideEffectFollowUp.objects.exists()
    approve(client, side_effect)
    assert status_of(side_effect) == PENDING


def test_a_follow_up_is_kept_as_written(pharmacist, reports):
    _, side_effect = reports
    follow_up = services.side_effect_follow_up_record(
        review=side_effect, actor=pharmacist, notes="Called; advised to see GP."
    )
    client = logged_in(pharmacist)
    change = reverse("admin:reviews_sideeffectfollowup_change", args=[follow_up.pk])

    client.post(change, {"notes": "Rewritten later."})
    delete = reverse("admin:reviews_sideeffectfollowup_delete", args=[follow_up.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403

    follow_up.refresh_from_db()
    assert follow_up.notes == "Called; advised to see GP."
