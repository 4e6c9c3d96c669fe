"""The health data access log in the admin: superusers and the Superintendent
list and filter it; nobody adds, changes or deletes a record."""

from django.contrib import admin

from checkout.dispensing.access_log import record_access
from checkout.dispensing.models import AccessAction, AccessSubject, HealthDataAccess
from pharmacy.core.read_only_admin import ReadOnlyAdmin
from pharmacy.staff.roles import Perm, staff_may


@admin.register(HealthDataAccess)
class HealthDataAccessAdmin(ReadOnlyAdmin):
    list_display = (
        "created_at",
        "username",
        "action",
        "subject",
        "order_number",
        "detail",
    )
    list_filter = (
        "action",
        "subject",
        "created_at",
        ("user", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = ("=order_number", "username")
    date_hierarchy = "created_at"
    ordering = ("-created_at", "-id")
    list_per_page = 100
    fields = readonly_fields = (
        "created_at",
        "username",
        "user",
        "action",
        "subject",
        "order_number",
        "order",
        "detail",
        "path",
    )
    actions = None

    class Media:
        css = {"all": ["css/admin-access-log.css"]}

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(
            request, {"title": "Health data access log", **(extra_context or {})}
        )

    def has_module_permission(self, request):
        return staff_may(request.user, Perm.READ_ACCESS_LOG)

    def has_view_permission(self, request, obj=None):
        return staff_may(request.user, Perm.READ_ACCESS_LOG)


class RecordsHealthDataViews:
    """ModelAdmin mixin for a page of one object that shows health data: each
    time it is shown is recorded as viewed, and each save as changed (naming
    the fields changed, never their values).

    Set ``access_subject``; override ``access_order`` when the object does not
    have an ``order`` attribute.
    """

    access_subject: AccessSubject

    def access_order(self, obj):
        return getattr(obj, "order", None)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        context = getattr(response, "context_data", None) or {}
        shown = context.get("original")
        if request.method == "GET" and response.status_code == 200 and shown:
            record_access(
                user=request.user,
                order=self.access_order(shown),
                subject=self.access_subject,
                action=AccessAction.VIEWED,
                request=request,
            )
        return response

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        record_access(
            user=request.user,
            order=self.access_order(obj),
            subject=self.access_subject,
            action=AccessAction.CHANGED,
            detail=", ".join(form.changed_data),
            request=request,
        )
