"""What the product page shows of reviews: a summary and one page of approved
reviews, in two queries whatever the number of reviews."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, Exists, OuterRef, Q
from oscar.apps.order.models import Line

from catalog.reviews.models import ProductReview

PER_PAGE = 10
SORTS = {
    "newest": ("-date_created", "-id"),
    "highest": ("-score", "-date_created", "-id"),
    "lowest": ("score", "-date_created", "-id"),
    "helpful": ("-delta_votes", "-total_votes", "-date_created", "-id"),
}
SORT_LABELS = {
    "newest": "Newest",
    "highest": "Highest rated",
    "lowest": "Lowest rated",
    "helpful": "Most helpful",
}


@dataclass(frozen=True)
class StarBar:
    stars: int
    count: int
    percent: int


@dataclass(frozen=True)
class ReviewSummary:
    count: int
    average: Decimal | None
    bars: list[StarBar]


def review_summary(*, product) -> ReviewSummary:
    """Average (one decimal), count and a bar per star level, approved reviews only."""
    approved = ProductReview.objects.filter(
        product=product, status=ProductReview.APPROVED
    )
    row = approved.aggregate(
        count=Count("id"),
        average=Avg("score"),
        **{f"s{n}": Count("id", filter=Q(score=n)) for n in range(1, 6)},
    )
    count = row["count"]
    average = None
    if count:
        average = Decimal(str(row["average"])).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )
    bars = [
        StarBar(
            stars=n,
            count=row[f"s{n}"],
            percent=round(100 * row[f"s{n}"] / count) if count else 0,
        )
        for n in range(5, 0, -1)
    ]
    return ReviewSummary(count=count, average=average, bars=bars)


def verified_buyer():
    """True when the reviewer placed an order containing this product: matched
    by account, or by the email a guest ordered with (in any letter case)."""
    lines = Line.objects.filter(
        Q(product__parent=OuterRef("product")) | Q(product=OuterRef("product"))
    ).filter(
        Q(order__user=OuterRef("user"))
        | (Q(order__guest_email__iexact=OuterRef("email")) & ~Q(order__guest_email=""))
    )
    return Exists(lines)


def buyer_has_approved_review(
    *, product_id: int, user_id: int | None, email: str
) -> bool:
    """Whether an order by this buyer can turn a published review of the
    product into a verified buyer's one (the same matching as verified_buyer)."""
    reviewer = Q()
    if user_id:
        reviewer |= Q(user_id=user_id)
    if email:
        reviewer |= Q(email__iexact=email)
    if not reviewer:
        return False
    return ProductReview.objects.filter(
        reviewer, product_id=product_id, status=ProductReview.APPROVED
    ).exists()


def page_count(*, total: int) -> int:
    return max(1, -(-total // PER_PAGE))


def approved_reviews(
    *, product, sort: str, page: int, total: int
) -> list[ProductReview]:
    """One page of approved reviews, each with ``is_verified_buyer``. A page
    number out of range shows the nearest page."""
    order = SORTS.get(sort, SORTS["newest"])
    page = min(max(page, 1), page_count(total=total))
    start = (page - 1) * PER_PAGE
    return list(
        ProductReview.objects.filter(product=product, status=ProductReview.APPROVED)
        .annotate(is_verified_buyer=verified_buyer())
        .order_by(*order)
        .only(
            "id",
            "product_id",
            "user_id",
            "email",
            "name",
            "title",
            "body",
            "score",
            "date_created",
            "total_votes",
            "delta_votes",
        )[start : start + PER_PAGE]
    )
