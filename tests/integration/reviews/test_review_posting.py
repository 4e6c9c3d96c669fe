"""Writing a review through the real form: what is saved, what the customer is
told, how the form marks its fields and keeps what was typed, and the limits
(length, one review each, rate limit, honeypot, hostile input, side effects)."""

from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from catalog.reviews import services
from catalog.reviews.models import ProductReview
from tests.factories import UserFactory, make_drug
from tests.html import find_all, find_one, page, parse, text
from tests.integration.reviews.conftest import (
    GUEST_REVIEW,
    MODERATION_MESSAGE,
    field_box,
    logged_in,
    messages_on,
    post_review,
    review_url,
    shown_titles,
)

pytestmark = pytest.mark.django_db

ALREADY_REVIEWED = "You have already reviewed this product. Thank you!"
RATE_LIMITED = (
    "You have posted several reviews in the last hour. Please try again later."
)
REQUIRED_STAR = '<span class="required" aria-hidden="true">*</span>'


def refused_with(response, message: str) -> None:
    """The form came back (not a redirect) with message at its top."""
    root = page(response)
    form = find_one(root, "section", cls="review-form")
    alerts = [text(a) for a in find_all(form, "div", role="alert")]
    assert alerts == [message]


# Posting and what is saved


def test_guest_review_is_saved_pending_and_not_shown(client, product):
    response = post_review(client, product, follow=True)

    review = ProductReview.objects.get()
    assert review.status == ProductReview.FOR_MODERATION
    assert (review.product, review.user) == (product, None)
    assert (review.name, review.email) == ("Robin", "robin@example.com")
    assert (review.score, review.title) == (4, GUEST_REVIEW["title"])
    assert review.body == GUEST_REVIEW["body"]
    assert review.side_effect_reported is False
    assert review.ip_hash == services.ip_fingerprint(ip="203.0.113.7")
    assert review.ip_hash and "203.0.113.7" not in review.ip_hash

    # Back on the product page, told it waits for moderation, and not listed.
    assert response.redirect_chain[-1][0] == product.get_absolute_url() + "#reviews"
    root = page(response)
    assert messages_on(root) == [MODERATION_MESSAGE]
    assert shown_titles(root) == []
    assert GUEST_REVIEW["title"] not in response.content.decode()
    assert "There are no reviews yet." in response.content.decode()


def test_reviews_are_moderated_in_settings():
    assert django_settings.OSCAR_MODERATE_REVIEWS is True


def test_logged_in_customer_posts_without_name_or_email(customer, product):
    client = logged_in(customer)
    form_section = find_one(
        page(client.get(product.get_absolute_url())), "section", cls="review-form"
    )
    assert find_all(form_section, "input", name="title")
    assert not find_all(form_section, "input", name="name")
    assert not find_all(form_section, "input", name="email")

    response = post_review(client, product, name=None, email=None, follow=True)

    assert messages_on(page(response)) == [MODERATION_MESSAGE]
    review = ProductReview.objects.get()
    assert review.user == customer
    assert review.email == "dana.lee@example.com"
    assert review.name == "Dana Lee"
    assert review.status == ProductReview.FOR_MODERATION


def test_logged_in_customer_cannot_post_as_someone_else(customer, product):
    client = logged_in(customer)

    post_review(client, product, name="Someone Else", email="else@example.com")

    review = ProductReview.objects.get()
    assert (review.name, review.email) == ("Dana Lee", "dana.lee@example.com")


def test_customer_without_a_full_name_is_shown_as_customer(product):
    user = UserFactory(email="nameless@example.com")

    post_review(logged_in(user), product, name=None, email=None)

    assert ProductReview.objects.get().name == "Customer"


# How the form marks and explains its fields


@pytest.mark.parametrize("name", ["score", "title", "body", "name", "email"])
def test_required_fields_are_marked_with_an_asterisk(client, product, name):
    root = page(client.get(product.get_absolute_url()))
    box = field_box(root, name)
    caption = find_one(box, "legend" if name == "score" else "label", cls=None)

    assert REQUIRED_STAR in str_of(caption)


def test_optional_side_effect_box_is_not_marked_required(client, product):
    box = field_box(
        page(client.get(product.get_absolute_url())), "side_effect_reported"
    )

    assert not find_all(box, "span", cls="required")


def test_form_explains_what_the_asterisk_means(client, product):
    html = client.get(product.get_absolute_url()).content.decode()
    section = find_one(parse(html), "section", cls="review-form")

    # Seen (the asterisk) and heard (the words), before the first field.
    assert f"Required fields are marked {REQUIRED_STAR}" in html
    assert "Required fields are marked *with an asterisk." in text(section)
    assert find_one(section, "span", cls="sr-only").raw_text == "with an asterisk"
    legend = html.index("Required fields are marked")
    assert legend < html.index('name="score"')


def test_email_field_says_the_address_will_not_be_published(client, product):
    root = page(client.get(product.get_absolute_url()))
    box = field_box(root, "email")
    hint = find_one(box, "p", cls="hint")
    email = find_one(box, "input", name="email")

    assert text(hint) == "Your email address will not be published."
    # Read out with the field, not only placed beside it.
    assert hint.attrs["id"] in email.attrs.get("aria-describedby", "").split()


def str_of(node) -> str:
    """The element's inner HTML, rebuilt (enough to look for a marker)."""
    parts = []
    for child in node.children:
        if isinstance(child, str):
            parts.append(child)
        else:
            attrs = "".join(f' {k}="{v}"' for k, v in child.attrs.items())
            parts.append(f"<{child.tag}{attrs}>{str_of(child)}</{child.tag}>")
    return "".join(parts)


# Errors beside their fields, with what was typed kept


MISSING = {
    "score": "Please choose a rating from 1 to 5 stars.",
    "title": "Please give your review a title.",
    "body": "Please write your review.",
    "name": "Please enter your name.",
    "email": "Please enter your email address.",
}


def typed_value(root, name: str) -> str | None:
    box = field_box(root, name)
    if name == "score":
        checked = [i for i in find_all(box, "input", name=name) if "checked" in i.attrs]
        return checked[0].attrs["value"] if checked else None
    if name == "body":
        return find_one(box, "textarea", name=name).raw_text.strip()
    return find_one(box, "input", name=name).attrs.get("value")


@pytest.mark.parametrize("missing", list(MISSING))
def test_missing_field_is_explained_beside_it_and_typed_values_are_kept(
    client, product, missing
):
    response = post_review(client, product, **{missing: ""})

    assert ProductReview.objects.count() == 0
    root = page(response)
    box = field_box(root, missing)
    assert "has-error" in box.attrs["class"].split()
    assert [text(li) for li in find_all(box, "li")] == [MISSING[missing]]
    # The only error on the page is that one.
    assert [text(li) for li in find_all(root, "ul", cls="errorlist")] == [
        MISSING[missing]
    ]
    for name, value in GUEST_REVIEW.items():
        if name != missing:
            assert typed_value(root, name) == value, name


def test_invalid_email_is_explained_beside_it(client, product):
    response = post_review(client, product, email="robin-at-example")

    box = field_box(page(response), "email")
    assert [text(li) for li in find_all(box, "li")] == ["Enter a valid email address."]
    assert ProductReview.objects.count() == 0


def test_error_messages_and_hints_are_tied_to_their_fields(client, product):
    # Every id that a field's aria-describedby names exists on the page, so a
    # screen reader reads the error and the hint with the field.
    response = post_review(
        client, product, score=None, title="", body="", name="", email="bad"
    )

    root = page(response)
    ids = {el.attrs["id"] for el in root.walk() if "id" in el.attrs}
    form = find_one(root, "section", cls="review-form")
    described = [
        (el.attrs.get("name"), ref)
        for el in form.walk()
        for ref in el.attrs.get("aria-describedby", "").split()
    ]
    assert described, "no field is described by its error"
    assert [(name, ref) for name, ref in described if ref not in ids] == []
    for name in ("title", "body", "name", "email"):
        field = find_one(
            field_box(root, name), "textarea" if name == "body" else "input", name=name
        )
        error_list = find_one(field_box(root, name), "ul", cls="errorlist")
        assert error_list.attrs["id"] in field.attrs["aria-describedby"].split()


# Length limits


@pytest.mark.parametrize(
    ("field", "length"), [("title", 101), ("body", 5001), ("body", 10_000)]
)
def test_too_long_title_or_body_is_refused(client, product, field, length):
    response = post_review(client, product, **{field: "x" * length})

    assert ProductReview.objects.count() == 0
    box = field_box(page(response), field)
    errors = [text(li) for li in find_all(box, "li")]
    limit = 100 if field == "title" else 5000
    assert errors == [
        f"Ensure this value has at most {limit} characters (it has {length})."
    ]


def test_title_of_100_and_body_of_5000_characters_are_accepted(client, product):
    post_review(client, product, title="t" * 100, body="b" * 5000)

    review = ProductReview.objects.get()
    assert (len(review.title), len(review.body)) == (100, 5000)


# One review each


def test_second_review_of_a_product_by_the_same_account_is_refused(customer, product):
    client = logged_in(customer)
    post_review(client, product, name=None, email=None)

    response = post_review(
        client, product, name=None, email=None, title="Again", ip="198.51.100.1"
    )

    refused_with(response, ALREADY_REVIEWED)
    assert ProductReview.objects.count() == 1


def test_second_review_of_a_product_with_the_same_email_is_refused(client, product):
    post_review(client, product)

    response = post_review(
        client, product, email="ROBIN@example.com", title="Again", ip="198.51.100.1"
    )

    refused_with(response, ALREADY_REVIEWED)
    # What was typed is still there to copy.
    assert typed_value(page(response), "title") == "Again"
    assert ProductReview.objects.count() == 1


def test_account_holder_cannot_review_again_as_a_guest(customer, product):
    post_review(logged_in(customer), product, name=None, email=None)

    response = post_review(
        logged_in(None), product, email="dana.lee@example.com", ip="198.51.100.1"
    )

    refused_with(response, ALREADY_REVIEWED)
    assert ProductReview.objects.count() == 1


def test_the_same_email_may_review_another_product(client, product):
    other = make_drug(title="Tizanidine").product
    post_review(client, product)

    post_review(client, other)

    assert ProductReview.objects.filter(email="robin@example.com").count() == 2


# Rate limit: three reviews an hour per IP and per email


@pytest.fixture
def four_products(product):
    return [product] + [make_drug(title=f"Drug {n}").product for n in range(3)]


def test_fourth_review_within_an_hour_from_one_ip_is_refused(client, four_products):
    for n, product in enumerate(four_products[:3]):
        post_review(client, product, email=f"person{n}@example.com", ip="192.0.2.9")

    response = post_review(
        client, four_products[3], email="person3@example.com", ip="192.0.2.9"
    )

    refused_with(response, RATE_LIMITED)
    assert ProductReview.objects.count() == 3
    # Another address is not held back.
    post_review(client, four_products[3], email="person3@example.com", ip="192.0.2.10")
    assert ProductReview.objects.count() == 4


def test_fourth_review_within_an_hour_from_one_email_is_refused(client, four_products):
    for n, product in enumerate(four_products[:3]):
        post_review(client, product, ip=f"192.0.2.{n + 1}")

    response = post_review(client, four_products[3], ip="192.0.2.50")

    refused_with(response, RATE_LIMITED)
    assert ProductReview.objects.count() == 3


def test_fourth_review_from_one_account_is_refused(customer, four_products):
    client = logged_in(customer)
    for n, product in enumerate(four_products[:3]):
        post_review(client, product, name=None, email=None, ip=f"192.0.2.{n + 1}")

    response = post_review(
        client, four_products[3], name=None, email=None, ip="192.0.2.50"
    )

    refused_with(response, RATE_LIMITED)
    assert ProductReview.objects.count() == 3


def test_rate_limit_lets_reviews_through_again_after_an_hour(client, four_products):
    for n, product in enumerate(four_products[:3]):
        post_review(client, product, email=f"person{n}@example.com")
    ProductReview.objects.update(
        date_created=timezone.now() - timedelta(hours=1, minutes=1)
    )

    post_review(client, four_products[3], email="person3@example.com")

    assert ProductReview.objects.count() == 4


# Honeypot


def test_filled_honeypot_looks_like_success_but_saves_nothing(client, product):
    response = post_review(client, product, website="http://spam.example", follow=True)

    assert response.redirect_chain[-1][0] == product.get_absolute_url() + "#reviews"
    assert messages_on(page(response)) == [MODERATION_MESSAGE]
    assert ProductReview.objects.count() == 0


def test_honeypot_is_hidden_from_people_and_screen_readers(client, product):
    form = find_one(
        page(client.get(product.get_absolute_url())), "section", cls="review-form"
    )
    trap = find_one(form, "input", name="website")
    wrapper = next(el for el in form.walk() if trap in el.children and el.tag == "div")

    assert wrapper.attrs.get("aria-hidden") == "true"
    assert "hp" in wrapper.attrs["class"].split()
    assert trap.attrs.get("tabindex") == "-1"
    assert trap.attrs.get("autocomplete") == "off"


# Hostile input


HOSTILE = {
    "title": '<script>alert("title")</script>Great',
    "body": (
        "<b>bold</b> <img src=x onerror=alert(1)> "
        '<a href="https://evil.example/a">click</a> see https://evil.example/b'
    ),
    "name": "<i>Eve</i><script>alert('name')</script>",
}


def approve_all() -> None:
    ProductReview.objects.update(status=ProductReview.APPROVED)


def test_markup_in_a_review_is_shown_as_text_never_as_tags(client, product):
    post_review(client, product, **HOSTILE)
    assert ProductReview.objects.get().title == HOSTILE["title"]
    approve_all()

    html = client.get(product.get_absolute_url()).content.decode()

    for tag in ("<script>alert", "<b>bold", "<img src=x", "<i>Eve", '<a href="https'):
        assert tag not in html
    assert "&lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt;Great" in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html
    assert "&lt;i&gt;Eve&lt;/i&gt;" in html
    root = parse(html)
    (item,) = find_all(root, "li", cls="review")
    assert text(find_one(item, "h3")) == HOSTILE["title"]
    assert text(find_one(item, "span", cls="reviewer")) == HOSTILE["name"]
    assert not find_all(item, "script")
    assert not find_all(item, "img")


def test_links_in_a_review_are_plain_text(client, product):
    post_review(client, product, **HOSTILE)
    approve_all()

    root = page(client.get(product.get_absolute_url()))

    (item,) = find_all(root, "li", cls="review")
    body = find_one(item, "div", cls="review-body")
    assert find_all(body, "a") == []
    assert "see https://evil.example/b" in text(body)
    hrefs = [a.attrs.get("href", "") for a in find_all(root, "a")]
    assert not [h for h in hrefs if "evil.example" in h]


def test_unicode_round_trips(client, product):
    review = {
        "title": "Très bien 👍 — ça marche",
        "body": "עברית מימין לשמאל\nمرحبا بالعالم 😀 naïve café, Ünïcödé ß",
        "name": "Zoë Ångström-García",
        "email": "zoe@example.com",
    }
    post_review(client, product, **review)

    saved = ProductReview.objects.get()
    assert (saved.title, saved.body, saved.name) == (
        review["title"],
        review["body"],
        review["name"],
    )
    approve_all()
    root = page(client.get(product.get_absolute_url()))
    (item,) = find_all(root, "li", cls="review")
    assert text(find_one(item, "h3")) == review["title"]
    assert text(find_one(item, "span", cls="reviewer")) == review["name"]
    body = find_one(item, "div", cls="review-body")
    assert [c for c in body.children if isinstance(c, str)] == review["body"].split(
        "\n"
    )
    assert len(find_all(body, "br")) == 1


# Side effects


def test_side_effect_review_is_flagged_kept_pending_and_customer_told_where_to_report(
    client, product
):
    response = post_review(client, product, side_effect_reported="on", follow=True)

    review = ProductReview.objects.get()
    assert review.side_effect_reported is True
    assert review.status == ProductReview.FOR_MODERATION
    shown = messages_on(page(response))
    assert shown[0] == MODERATION_MESSAGE
    advice = shown[1]
    assert django_settings.PHARMACY["phone"] in advice
    assert "call the pharmacy" in advice
    assert "MedWatch" in advice
    assert "www.fda.gov/medwatch" in advice
    assert "1-800-FDA-1088" in advice
    assert shown_titles(page(response)) == []


def test_side_effect_advice_is_only_for_side_effect_reports(client, product):
    response = post_review(client, product, follow=True)

    assert messages_on(page(response)) == [MODERATION_MESSAGE]


def test_form_says_before_posting_how_side_effects_are_handled(client, product):
    box = field_box(
        page(client.get(product.get_absolute_url())), "side_effect_reported"
    )

    assert "never publish such a review automatically" in text(box)
    assert "MedWatch" in text(box)


@pytest.mark.parametrize("side_effect", ["on", None])
def test_reviews_stay_pending_even_when_moderation_is_switched_off(
    client, product, settings, side_effect
):
    settings.OSCAR_MODERATE_REVIEWS = False

    post_review(client, product, side_effect_reported=side_effect)

    review = ProductReview.objects.get()
    assert review.status == ProductReview.FOR_MODERATION
    assert review.side_effect_reported is (side_effect == "on")


def test_service_keeps_a_side_effect_review_pending_without_moderation(
    product, settings
):
    settings.OSCAR_MODERATE_REVIEWS = False

    review = services.review_create(
        product=product,
        user=None,
        data={**GUEST_REVIEW, "score": 1, "side_effect_reported": True},
        ip_hash="",
    )

    review.refresh_from_db()
    assert review.status == ProductReview.FOR_MODERATION
    assert review.side_effect_reported is True


def test_review_form_page_shows_the_form_for_the_product(client, product):
    root = page(client.get(review_url(product)))

    assert text(find_one(root, "h1")) == f"Review {product.get_title()}"
    assert find_one(root, "section", cls="review-form")
