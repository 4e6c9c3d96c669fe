"""The health data access log in the admin: superusers and the Superintendent
list and filter it; nobody adds, changes or deletes a record."""

from django.contrib import admin

from checkout.models import HealthDataAccess

VIEW_PERMISSION = "checkout.view_healthdataaccess"


@admin.register(HealthDataAccess)
class HealthDataAccessAdmin(admin.ModelAdmin):
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

    def _may_view(self, request) -> bool:
        user = request.user
        return user.is_active and user.is_staff and user.has_perm(VIEW_PERMISSION)

    def has_module_permission(self, request):
        return self._may_view(request)

    def has_view_permission(self, request, obj=None):
        return self._may_view(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
