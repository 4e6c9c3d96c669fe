from django.conf import settings
from django.db import models
from django.db.models import Q
from oscar.apps.catalogue.reviews.abstract_models import AbstractProductReview


class ProductReview(AbstractProductReview):
    """Oscar's review, with what a pharmacy needs: a side-effect flag that routes
    the review to a pharmacist, a hashed IP for rate limiting, and who moderated."""

    side_effect_reported = models.BooleanField(
        "describes a side effect",
        default=False,
        help_text="The customer says this describes a side effect they experienced. "
        "A pharmacist follows up; such a review is never published automatically.",
    )
    ip_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    moderated_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta(AbstractProductReview.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["product", "email"],
                condition=~Q(email=""),
                name="one_review_per_product_and_email",
            )
        ]
        permissions = [("moderate_review", "Can approve or reject reviews")]

    @property
    def reviewer_name(self):
        # Only the display name is ever shown; never the email.
        return self.name or "Customer"


class SideEffectFollowUp(models.Model):
    """What the pharmacist did about a review that describes a side effect:
    who, when, and what. Such a review is published only once this exists
    (catalog/reviews/services.py); it is never changed afterwards."""

    review = models.OneToOneField(
        ProductReview, on_delete=models.CASCADE, related_name="follow_up"
    )
    notes = models.TextField(
        "what was done",
        help_text="Who you contacted and what you advised; whether it was "
        "reported to the FDA (MedWatch).",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "side-effect follow-up"

    def __str__(self) -> str:
        return f"Follow-up of review {self.review_id}"


class ReviewRateLock(models.Model):
    """One row per rate-limited subject (a hashed IP or an email). Writing a
    review locks the rows of its subjects first, so two reviews from the same
    subject are counted one after the other, never both against the same
    old count."""

    subject = models.CharField(max_length=128, unique=True)

    def __str__(self):
        return self.subject


from oscar.apps.catalogue.reviews.models import *  # noqa: E402,F403
