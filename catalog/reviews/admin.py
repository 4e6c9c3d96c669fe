from django import forms
from django.contrib import admin, messages
from django.db.models import Case, IntegerField, Value, When
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html

from catalog.reviews import services
from catalog.reviews.models import ProductReview, SideEffectFollowUp
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

    class Media:
        css = {"all": ["css/admin-catalogue.css"]}

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
        "side_effect_follow_up",
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

    def get_fields(self, request, obj=None):
        # The follow-up with a link to record it, for those who may.
        if staff_may(request.user, Perm.FOLLOW_UP_SIDE_EFFECTS):
            return self.fields[:-1] + ("side_effect_follow_up_to_record",)
        return self.fields

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    @admin.display(description="Side-effect follow-up")
    def side_effect_follow_up(self, obj):
        return self._follow_up(obj, link=False)

    @admin.display(description="Side-effect follow-up")
    def side_effect_follow_up_to_record(self, obj):
        return self._follow_up(obj, link=True)

    @staticmethod
    def _follow_up(obj, *, link: bool):
        if not obj.side_effect_reported:
            return "Not a side-effect report."
        follow_up = SideEffectFollowUp.objects.filter(review=obj).first()
        if follow_up is not None:
            return format_html(
                "{} by {}:<br>{}",
                follow_up.recorded_at.strftime("%Y-%m-%d %H:%M"),
                follow_up.recorded_by,
                follow_up.notes,
            )
        if not link:
            return "Waiting for the pharmacist's follow-up."
        return format_html(
            'Not yet recorded. <a href="{}?review={}">Record the follow-up</a>',
            reverse("admin:reviews_sideeffectfollowup_add"),
            obj.pk,
        )

    def _moderate(self, request, queryset, *, approve: bool) -> None:
        done = services.reviews_moderate(
            reviews=queryset, actor=request.user, approve=approve
        )
        verb = "approved and published" if approve else "rejected"
        if done.changed or not done.held_for_pharmacist:
            self.message_user(
                request,
                f"{done.changed} review(s) {verb}.",
                messages.SUCCESS if approve else messages.INFO,
            )
        if done.held_for_pharmacist:
            self.message_user(
                request,
                f"{done.held_for_pharmacist} review(s) describe a side effect and "
                "were left as they were: the pharmacist publishes such a review "
                "only after recording the follow-up.",
                messages.WARNING,
            )

    @admin.action(
        description="Approve selected reviews (publish)", permissions=["moderate"]
    )
    def approve_reviews(self, request, queryset):
        self._moderate(request, queryset, approve=True)

    @admin.action(description="Reject selected reviews", permissions=["moderate"])
    def reject_reviews(self, request, queryset):
        self._moderate(request, queryset, approve=False)


class FollowUpForm(forms.ModelForm):
    class Meta:
        model = SideEffectFollowUp
        fields = ("review", "notes")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "review" in self.fields:
            self.fields["review"].queryset = ProductReview.objects.filter(
                side_effect_reported=True, follow_up__isnull=True
            ).select_related("product")
            self.fields[
                "review"
            ].help_text = "Reviews describing a side effect with no follow-up yet."


@admin.register(SideEffectFollowUp)
class SideEffectFollowUpAdmin(admin.ModelAdmin):
    """The pharmacist records what was done about a side-effect report; the
    record is kept as written."""

    class Media:
        css = {"all": ["css/admin-catalogue.css"]}

    form = FollowUpForm
    list_display = ("review", "recorded_by", "recorded_at")
    list_select_related = ("review", "recorded_by")
    fields = ("review", "notes")

    def get_readonly_fields(self, request, obj=None):
        return ("review", "notes", "recorded_by", "recorded_at") if obj else ()

    def get_fields(self, request, obj=None):
        if obj is None:
            return self.fields
        return ("review", "notes", "recorded_by", "recorded_at")

    def has_add_permission(self, request):
        return staff_may(request.user, Perm.FOLLOW_UP_SIDE_EFFECTS)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        follow_up = services.side_effect_follow_up_record(
            review=form.cleaned_data["review"],
            actor=request.user,
            notes=form.cleaned_data["notes"],
        )
        obj.pk = follow_up.pk

    def response_add(self, request, obj, post_url_continue=None):
        self.message_user(
            request,
            "The follow-up is recorded; the review may now be published.",
            messages.SUCCESS,
        )
        return HttpResponseRedirect(
            reverse("admin:reviews_productreview_change", args=[obj.review_id])
        )
