"""Writing reviews and moderating them."""

import hashlib
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from catalog.reviews.models import ProductReview, ReviewRateLock, SideEffectFollowUp
from pharmacy.staff.roles import Perm, may

RATE_LIMIT = 3
RATE_WINDOW = timedelta(hours=1)


class ReviewRefused(Exception):
    """Not saved; the message is safe to show."""


def ip_fingerprint(*, ip: str) -> str:
    """A keyed hash of the client IP: enough to rate-limit, useless to identify."""
    return hashlib.sha256(f"{settings.SECRET_KEY}|review-ip|{ip}".encode()).hexdigest()


def review_rate_limited(*, ip_hash: str, email: str) -> bool:
    """True when this IP or this email posted RATE_LIMIT reviews in the last hour."""
    since = timezone.now() - RATE_WINDOW
    recent = ProductReview.objects.filter(date_created__gte=since)
    by_ip = recent.filter(ip_hash=ip_hash).count() if ip_hash else 0
    by_email = recent.filter(email__iexact=email).count() if email else 0
    return by_ip >= RATE_LIMIT or by_email >= RATE_LIMIT


def review_exists(*, product, user, email: str) -> bool:
    match = Q(email__iexact=email) if email else Q(pk__in=[])
    if user is not None and user.is_authenticated:
        match |= Q(user=user)
    return ProductReview.objects.filter(Q(product=product) & match).exists()


def review_create(*, product, user, data: dict, ip_hash: str) -> ProductReview:
    """Save a review for moderation. It is never published here: every review
    waits for a moderator, and one describing a side effect for a pharmacist."""
    if user is not None and user.is_authenticated:
        email = user.email
        name = user.get_full_name() or "Customer"
    else:
        user = None
        email = data["email"].strip()
        name = data["name"].strip()
    if review_exists(product=product, user=user, email=email):
        raise ReviewRefused("You have already reviewed this product. Thank you!")
    try:
        with transaction.atomic():
            # Count and insert under the subjects' row locks: concurrent
            # reviews from one IP or email wait here and then see each other.
            _rate_locks_take(ip_hash=ip_hash, email=email)
            if review_rate_limited(ip_hash=ip_hash, email=email):
                raise ReviewRefused(
                    "You have posted several reviews in the last hour. "
                    "Please try again later."
                )
            return _save(
                product=product,
                user=user,
                name=name,
                email=email,
                data=data,
                ip_hash=ip_hash,
            )
    except IntegrityError as exc:  # a double submit racing the check above
        raise ReviewRefused(
            "You have already reviewed this product. Thank you!"
        ) from exc


def _rate_locks_take(*, ip_hash: str, email: str) -> None:
    """Lock (creating if need be) the rate-limit rows of this IP and email, in
    a fixed order so two requests never wait on each other crosswise."""
    subjects = sorted(
        s for s in (f"ip:{ip_hash}" if ip_hash else "", _email_subject(email)) if s
    )
    for subject in subjects:
        ReviewRateLock.objects.get_or_create(subject=subject)
    list(
        ReviewRateLock.objects.select_for_update()
        .filter(subject__in=subjects)
        .order_by("subject")
    )


def _email_subject(email: str) -> str:
    if not email:
        return ""
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    return f"email:{digest}"


def _save(*, product, user, name, email, data, ip_hash) -> ProductReview:
    return ProductReview.objects.create(
        product=product,
        user=user,
        name=name,
        email=email,
        score=data["score"],
        title=data["title"].strip(),
        body=data["body"].strip(),
        side_effect_reported=bool(data.get("side_effect_reported")),
        ip_hash=ip_hash,
        status=ProductReview.FOR_MODERATION,
    )


@dataclass(frozen=True)
class Moderation:
    """What a moderation did: how many reviews changed, and how many describe
    a side effect and were left alone (the pharmacist's, or waiting for the
    follow-up to be recorded)."""

    changed: int
    held_for_pharmacist: int


def side_effect_review_refusal(*, review, actor, approve: bool) -> str | None:
    """Why this actor may not moderate this review as asked, or None. A review
    describing a side effect is the pharmacist's: only they publish or reject
    it, and publish it only once the follow-up is recorded."""
    if not review.side_effect_reported:
        return None
    if not may(actor, Perm.FOLLOW_UP_SIDE_EFFECTS):
        return "It describes a side effect: the pharmacist decides on it."
    if approve and not SideEffectFollowUp.objects.filter(review=review).exists():
        return "It describes a side effect: record the follow-up before publishing."
    return None


@transaction.atomic
def reviews_moderate(*, reviews, actor, approve: bool) -> Moderation:
    """Approve or reject reviews; only moderators may. A review describing a
    side effect is changed only as side_effect_review_refusal allows."""
    if not may(actor, Perm.MODERATE_REVIEWS):
        raise PermissionError("You do not have permission to moderate reviews.")
    status = ProductReview.APPROVED if approve else ProductReview.REJECTED
    changing = (
        ProductReview.objects.select_for_update()
        .filter(pk__in=[r.pk for r in reviews])
        .exclude(status=status)
    )
    allowed, held = [], 0
    for review in changing:
        if side_effect_review_refusal(review=review, actor=actor, approve=approve):
            held += 1
        else:
            allowed.append(review.pk)
    # The public summary changes at once: the update bumps the catalogue
    # version (catalog/reviews/managers.py).
    changed = ProductReview.objects.filter(pk__in=allowed).update(
        status=status, moderated_by=actor, moderated_at=timezone.now()
    )
    return Moderation(changed=changed, held_for_pharmacist=held)


@transaction.atomic
def side_effect_follow_up_record(*, review, actor, notes: str) -> SideEffectFollowUp:
    """Record what the pharmacist did about a review describing a side effect
    (who, when, what). Once recorded it is kept as it is."""
    if not may(actor, Perm.FOLLOW_UP_SIDE_EFFECTS):
        raise PermissionDenied("Only a pharmacist follows up a side effect.")
    review = ProductReview.objects.select_for_update().get(pk=review.pk)
    if not review.side_effect_reported:
        raise ValidationError("This review does not describe a side effect.")
    if SideEffectFollowUp.objects.filter(review=review).exists():
        raise ValidationError("The follow-up of this review is already recorded.")
    notes = (notes or "").strip()
    if not notes:
        raise ValidationError("Say what was done.")
    return SideEffectFollowUp.objects.create(
        review=review, notes=notes, recorded_by=actor
    )
