from django.contrib import admin, messages
from django.db.models import Case, IntegerField, Value, When
from django.utils.html import format_html

from catalog.reviews import services
from catalog.reviews.models import ProductReview
from catalog.reviews.selectors import verified_buyer
from pharmacy.staff.roles import Perm, staff_may


class VerifiedBuyerFilter(admin.SimpleListFilter):
    title = "verified buyer"
    parameter_name = "verified"

    def lookups(self, request, model_admin):
        return (("yes", "Verified buyer"), ("no", "Not a buyer"))

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(is_verified_buyer=True)
        if self.value() == "no":
            return queryset.filter(is_verified_buyer=False)
        return queryset


def _pending_first():
    return Case(
        When(status=ProductReview.FOR_MODERATION, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )


@admin.register(ProductReview)
class ProductReviewAdmin(admin.ModelAdmin):
    """Moderation: pending reviews first; side-effect reports for the pharmacist."""

    list_display = (
        "title",
        "product",
        "score",
        "status_label",
        "verified",
        "side_effect_reported",
        "reviewer",
        "date_created",
    )
    list_filter = ("status", "score", VerifiedBuyerFilter, "side_effect_reported")
    search_fields = ("title", "body", "name")
    list_select_related = ("product", "user")
    actions = ("approve_reviews", "reject_reviews")
    readonly_fields = (
        "product",
        "user",
        "name",
        "email",
        "score",
        "title",
        "body",
        "side_effect_reported",
        "status",
        "total_votes",
        "delta_votes",
        "date_created",
        "moderated_by",
        "moderated_at",
    )
    fields = readonly_fields

    def get_queryset(self, request):
        return (
            super().get_queryset(request).annotate(is_verified_buyer=verified_buyer())
        )

    def get_ordering(self, request):
        # The changelist orders by this and drops get_queryset's order_by (it
        # would fall back to the model's Meta.ordering, by votes).
        return (_pending_first().asc(), "-date_created")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # Reviews are the customer's words: staff moderate them, never edit them.
        return False

    def has_moderate_permission(self, request):
        return staff_may(request.user, Perm.MODERATE_REVIEWS)

    @admin.display(description="Status", ordering="status")
    def status_label(self, obj):
        return obj.get_status_display()

    @admin.display(description="Verified buyer", boolean=True)
    def verified(self, obj):
        return obj.is_verified_buyer

    @admin.display(description="Reviewer and contact")
    def reviewer(self, obj):
        # Contact details are for moderators following up a side-effect report.
        return format_html(
            "{}<br><a href='mailto:{}'>{}</a>", obj.reviewer_name, obj.email, obj.email
        )

    @admin.action(
        description="Approve selected reviews (publish)", permissions=["moderate"]
    )
    def approve_reviews(self, request, queryset):
        count = services.reviews_moderate(
            reviews=queryset, actor=request.user, approve=True
        )
        self.message_user(request, f"{count} review(s) approved and published.")

    @admin.action(description="Reject selected reviews", permissions=["moderate"])
    def reject_reviews(self, request, queryset):
        count = services.reviews_moderate(
            reviews=queryset, actor=request.user, approve=False
        )
        self.message_user(request, f"{count} review(s) rejected.", messages.INFO)
