"""The review summary's arithmetic: the average to one decimal (rounded half
up), the count, and a bar for each star level, over approved reviews only."""

from decimal import Decimal

import pytest

from catalog.reviews.models import ProductReview
from catalog.reviews.selectors import StarBar, review_summary
from tests.factories import make_drug

pytestmark = pytest.mark.django_db

APPROVED = ProductReview.APPROVED


@pytest.fixture
def product(db):
    return make_drug().product


def reviews(product, *scores: int, status: int = APPROVED) -> None:
    ProductReview.objects.bulk_create(
        ProductReview(
            product=product,
            score=score,
            title=f"Review {i}",
            body="Text.",
            name="Sam",
            email=f"{status}-{i}-{score}@example.com",
            status=status,
        )
        for i, score in enumerate(scores)
    )


def bars(summary) -> list[tuple[int, int, int]]:
    return [(b.stars, b.count, b.percent) for b in summary.bars]


@pytest.mark.parametrize(
    ("scores", "average"),
    [
        ((5, 4, 4), "4.3"),  # 4.333...
        ((5, 5, 4, 4), "4.5"),  # exact
        ((5, 4, 4, 4), "4.3"),  # 4.25: half up, not to even (4.2)
        ((2, 1, 1, 1), "1.3"),  # 1.25
        ((5,) + (4,) * 19, "4.1"),  # 4.05, which is 4.04999... as a float
        ((3, 3, 2), "2.7"),  # 2.666...
        ((5, 5), "5.0"),
        ((1,), "1.0"),
    ],
)
def test_average_is_rounded_half_up_to_one_decimal(product, scores, average):
    reviews(product, *scores)

    summary = review_summary(product=product)

    assert summary.average == Decimal(average)
    assert str(summary.average) == average
    assert summary.count == len(scores)


def test_bars_count_each_star_level_from_five_down_to_one(product):
    reviews(product, 5, 5, 4, 1)

    summary = review_summary(product=product)

    assert bars(summary) == [(5, 2, 50), (4, 1, 25), (3, 0, 0), (2, 0, 0), (1, 1, 25)]
    assert all(isinstance(b, StarBar) for b in summary.bars)


def test_bar_percents_are_whole_numbers_of_the_count(product):
    reviews(product, 5, 4, 4)

    summary = review_summary(product=product)

    assert bars(summary) == [(5, 1, 33), (4, 2, 67), (3, 0, 0), (2, 0, 0), (1, 0, 0)]


def test_pending_and_rejected_reviews_are_left_out(product):
    reviews(product, 5, 3)
    reviews(product, 1, 1, 1, status=ProductReview.FOR_MODERATION)
    reviews(product, 2, 2, status=ProductReview.REJECTED)

    summary = review_summary(product=product)

    assert summary.count == 2
    assert summary.average == Decimal("4.0")
    assert bars(summary) == [(5, 1, 50), (4, 0, 0), (3, 1, 50), (2, 0, 0), (1, 0, 0)]


def test_other_products_reviews_are_left_out(product):
    other = make_drug(title="Tizanidine").product
    reviews(product, 2)
    reviews(other, 5, 5, 5)

    summary = review_summary(product=product)

    assert (summary.count, summary.average) == (1, Decimal("2.0"))


def test_no_reviews_means_count_zero_and_no_average(product):
    reviews(product, 5, status=ProductReview.FOR_MODERATION)

    summary = review_summary(product=product)

    assert summary.count == 0
    assert summary.average is None
    assert bars(summary) == [(5, 0, 0), (4, 0, 0), (3, 0, 0), (2, 0, 0), (1, 0, 0)]
