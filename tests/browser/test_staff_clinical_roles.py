"""The decisions that are the pharmacist's or the superintendent's, clicked
through as they do them: a side-effect report followed up and then published,
a published drug's maximum dose changed with a reason, and a strength
approved for a market."""

import pytest
from playwright.sync_api import Page, expect

from catalog.models import Strength
from catalog.reviews.models import ProductReview
from pharmacy.staff.roles import PHARMACISTS, REVIEW_MODERATORS, SUPERINTENDENTS
from tests.browser.staff import admin_sign_in, looked_at
from tests.factories import staff_in

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "staff-pass-7731-clinical"


def sign_in_as(page: Page, live_server, role: str) -> None:
    username = role.lower().replace(" ", "-")
    staff_in(role, username=username, password=PASSWORD)
    admin_sign_in(page, live_server, username=username, password=PASSWORD)


@pytest.fixture
def side_effect_report(baclofen):
    return ProductReview.objects.create(
        product=baclofen.product,
        score=2,
        title="Dizzy all week",
        body="Felt dizzy every afternoon.",
        name="Robin",
        email="robin@example.com",
        side_effect_reported=True,
    )


def approve_from_the_list(page: Page, live_server, title: str) -> None:
    page.goto(live_server.url + "/admin/reviews/productreview/")
    row = page.get_by_role("row").filter(has_text=title)
    row.get_by_role("checkbox").check()
    page.locator('select[name="action"]').select_option("approve_reviews")
    page.get_by_role("button", name="Go").click()


def test_a_moderator_is_told_the_side_effect_report_is_the_pharmacists(
    page: Page, live_server, side_effect_report
):
    sign_in_as(page, live_server, REVIEW_MODERATORS)

    approve_from_the_list(page, live_server, "Dizzy all week")

    expect(page.get_by_text("approved and published")).to_have_count(0)
    expect(page.get_by_text("1 review(s) describe a side effect")).to_be_visible()
    looked_at(page, "reviews-moderator-held", who="roles")
    side_effect_report.refresh_from_db()
    assert side_effect_report.status == ProductReview.FOR_MODERATION


def test_the_pharmacist_records_the_follow_up_then_publishes_the_report(
    page: Page, live_server, side_effect_report
):
    sign_in_as(page, live_server, PHARMACISTS)
    page.goto(live_server.url + "/admin/reviews/productreview/")
    page.get_by_role("link", name="Dizzy all week").click()
    looked_at(page, "review-side-effect", who="roles")
    page.get_by_role("link", name="Record the follow-up").click()
    looked_at(page, "follow-up-add", who="roles")
    page.get_by_label("What was done").fill(
        "Phoned Robin: dizziness easing on a lower dose; reported to MedWatch."
    )
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("The follow-up is recorded")).to_be_visible()
    expect(page.get_by_text("reported to MedWatch")).to_be_visible()

    approve_from_the_list(page, live_server, "Dizzy all week")

    expect(page.get_by_text("1 review(s) approved and published.")).to_be_visible()
    side_effect_report.refresh_from_db()
    assert side_effect_report.status == ProductReview.APPROVED


def test_the_pharmacist_changes_the_maximum_dose_giving_a_reason(
    page: Page, live_server, baclofen
):
    sign_in_as(page, live_server, PHARMACISTS)
    page.goto(live_server.url + "/admin/catalogue/drug/")
    page.get_by_role("link", name="baclofen").click()
    page.get_by_label("Max daily dose mg").fill("100")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Say why this clinical fact changes")).to_be_visible()
    expect(page.get_by_label("Max daily dose mg")).to_have_value("100")
    looked_at(page, "drug-pharmacist-reason", who="roles")
    page.get_by_label("Reason for a clinical change").fill(
        "Specialist regimen up to 100 mg a day."
    )
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("was changed successfully")).to_be_visible()
    page.goto(live_server.url + "/admin/catalogue/clinicalfactchange/")
    expect(page.get_by_text("Specialist regimen up to 100 mg a day.")).to_be_visible()
    looked_at(page, "clinical-changes", who="roles")


def test_the_superintendent_approves_25_mg_for_a_market(
    page: Page, live_server, baclofen
):
    strength = Strength.objects.get(drug=baclofen, mg=25)
    sign_in_as(page, live_server, SUPERINTENDENTS)
    page.goto(live_server.url + f"/admin/catalogue/strength/{strength.pk}/change/")
    looked_at(page, "strength-superintendent", who="roles")
    page.get_by_label("Approved markets").fill(f"{strength.approved_markets},GB")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("was changed successfully")).to_be_visible()
    strength.refresh_from_db()
    assert "GB" in strength.approved_markets.split(",")


def test_the_pharmacist_adds_a_caution_giving_a_reason(
    page: Page, live_server, baclofen
):
    sign_in_as(page, live_server, PHARMACISTS)
    page.goto(live_server.url + "/admin/catalogue/drugcaution/")
    page.get_by_role("link", name="Add drug caution").click()
    page.get_by_label("Drug").select_option(label="baclofen")
    page.get_by_label("Kind").select_option(label="Interacting medicine")
    page.get_by_label("Category").fill("Opioids")
    page.get_by_label("Term").fill("oxycodone")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Say why this clinical fact changes")).to_be_visible()
    expect(page.get_by_label("Term")).to_have_value("oxycodone")
    looked_at(page, "caution-add", who="roles")
    page.get_by_label("Reason for the change").fill("The label lists opioids.")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("was added successfully")).to_be_visible()
    looked_at(page, "cautions", who="roles")
