"""Reviews in the browser: a guest writes one, a moderator approves it in the
admin, and then everybody sees it; plus axe-core scans of the review pages."""

import re

import pytest
from django.conf import settings
from django.core.cache import caches
from django.test import Client
from playwright.sync_api import Page, expect

from catalog.reviews.models import ProductReview
from pharmacy.staff.groups import staff_groups_ensure
from pharmacy.staff.roles import REVIEW_MODERATORS
from tests.browser.axe import assert_no_serious_violations
from tests.browser.staff import admin_sign_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

MODERATION_MESSAGE = "Thank you! Your review will appear once it has been approved."
GUEST_EMAIL = "robin.reviewer@example.com"
PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def fresh_catalog_cache():
    """The catalogue cache outlives a test's database; start each test empty."""
    caches["catalog"].clear()
    yield
    caches["catalog"].clear()


@pytest.fixture
def moderator(transactional_db):
    user = UserFactory(username="moderator", is_staff=True, password=PASSWORD)
    user.groups.add(staff_groups_ensure()[REVIEW_MODERATORS])
    return user


def reviews_section(page: Page):
    return page.get_by_role("region", name="Customer reviews")


def review_form(page: Page):
    return page.get_by_role("region", name="Write a review")


def wait_for_enhancement(page: Page) -> None:
    """The product page's script has run (as shoppers see the page)."""
    expect(page.get_by_role("button", name="Show price for this choice")).to_be_hidden()


def approved_reviews(product, count: int) -> None:
    for n in range(count):
        ProductReview.objects.create(
            product=product,
            score=5 - n % 5,
            title=f"Review {n + 1} of baclofen",
            body=f"What happened, part {n + 1}.\nAnd then some more.",
            name=f"Customer {n + 1}",
            email=f"customer{n + 1}@example.com",
            status=ProductReview.APPROVED,
        )


def log_in(page: Page, live_server, user) -> None:
    """Sign the browser in as user, with a session made by Django's client."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": cookie.value,
                "url": live_server.url,
            }
        ]
    )


def test_guest_review_is_moderated_then_published(
    page: Page, live_server, product_url, moderator
):
    # A guest writes a review.
    page.goto(product_url)
    form = review_form(page)
    form.get_by_role("radio", name="4 stars").click()
    expect(form.get_by_role("radio", name="4 stars")).to_be_checked()
    form.get_by_role("textbox", name="Title", exact=True).fill("Eased my spasms")
    form.get_by_role("textbox", name="Your review", exact=True).fill(
        "Drowsy for a week, then fine."
    )
    form.get_by_role("textbox", name="Name (shown with your review)").fill("Robin")
    form.get_by_role("textbox", name="Email", exact=True).fill(GUEST_EMAIL)
    form.get_by_role("button", name="Submit review").click()

    # Told it waits for moderation; not shown yet.
    expect(page).to_have_url(re.compile(r"/catalogue/baclofen_\d+/#reviews$"))
    expect(
        page.get_by_role("status").filter(has_text=MODERATION_MESSAGE)
    ).to_be_visible()
    section = reviews_section(page)
    expect(section.get_by_text("There are no reviews yet.")).to_be_visible()
    expect(section.get_by_text("Eased my spasms")).to_have_count(0)

    # A moderator signs in to the admin and approves it.
    admin_sign_in(page, live_server, username="moderator", password=PASSWORD)
    page.get_by_role("link", name="Product reviews").first.click()
    row = page.locator("#result_list tbody tr").filter(has_text="Eased my spasms")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Requires moderation")
    row.locator('input[name="_selected_action"]').check()
    page.locator('select[name="action"]').select_option("approve_reviews")
    page.get_by_role("button", name="Go").click()
    expect(page.get_by_text("1 review(s) approved and published.")).to_be_visible()
    expect(row).to_contain_text("Approved")

    # Everybody now sees it, in the summary and the list; the email nowhere.
    page.context.clear_cookies()
    page.goto(product_url)
    wait_for_enhancement(page)
    section = reviews_section(page)
    expect(section.locator(".review-average")).to_have_text(
        re.compile(r"4\.0\s+out of 5, from 1 review$")
    )
    review = section.get_by_role("article", name="Eased my spasms")
    expect(review).to_be_visible()
    expect(review).to_contain_text("Drowsy for a week, then fine.")
    expect(review.locator(".reviewer")).to_have_text("Robin")
    expect(review.get_by_role("img", name="Rated 4 out of 5")).to_be_visible()
    assert GUEST_EMAIL not in page.content()


# axe-core scans


def test_product_page_with_reviews(page: Page, live_server, baclofen, product_url):
    approved_reviews(baclofen.product, 11)  # a full page, and a pager
    page.goto(product_url)
    wait_for_enhancement(page)
    expect(reviews_section(page).get_by_role("article")).to_have_count(10)
    expect(page.get_by_role("navigation", name="Review pages")).to_be_visible()
    assert_no_serious_violations(page)


def test_product_page_with_reviews_and_vote_buttons(
    page: Page, live_server, baclofen, product_url
):
    approved_reviews(baclofen.product, 3)
    log_in(page, live_server, UserFactory())
    page.goto(product_url)
    wait_for_enhancement(page)
    expect(
        reviews_section(page).get_by_role("button", name=re.compile(r"^Yes"))
    ).to_have_count(3)
    assert_no_serious_violations(page)


def test_product_page_without_reviews(page: Page, live_server, product_url):
    page.goto(product_url)
    wait_for_enhancement(page)
    expect(
        reviews_section(page).get_by_text(
            "There are no reviews yet. Be the first to review Baclofen."
        )
    ).to_be_visible()
    assert_no_serious_violations(page)


def test_review_form_page_showing_errors(page: Page, live_server, product_url):
    page.goto(product_url)
    form = review_form(page)
    form.get_by_role("textbox", name="Title", exact=True).fill("Only a title")
    form.get_by_role("textbox", name="Email", exact=True).fill("not-an-email")
    form.get_by_role("button", name="Submit review").click()

    expect(page).to_have_url(re.compile(r"/reviews/add/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Review Baclofen")
    form = review_form(page)
    expect(
        form.get_by_text("Please choose a rating from 1 to 5 stars.")
    ).to_be_visible()
    expect(form.get_by_text("Please write your review.")).to_be_visible()
    expect(form.get_by_text("Enter a valid email address.")).to_be_visible()
    # Typed values kept; each error read out with its field.
    expect(form.get_by_role("textbox", name="Title", exact=True)).to_have_value(
        "Only a title"
    )
    email = form.get_by_role("textbox", name="Email", exact=True)
    expect(email).to_have_value("not-an-email")
    expect(email).to_have_accessible_description(
        re.compile(r"Your email address will not be published\.\s*Enter a valid email")
    )
    assert ProductReview.objects.count() == 0
    assert_no_serious_violations(page)
