"""Staff record what each pack costs the pharmacy (price editors, who may
change prices); the history keeps every figure with who and when."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from catalog.costs.models import PackCost


@admin.register(PackCost)
class PackCostAdmin(SimpleHistoryAdmin):
    list_display = (
        "pack",
        "acquisition_cost",
        "source",
        "is_demo",
        "changed_by",
        "changed_at",
    )
    list_filter = ("is_demo", "pack__parent")
    list_select_related = ("pack", "changed_by")
    search_fields = ("pack__title", "pack__upc", "source")
    fields = (
        "pack",
        "acquisition_cost",
        "source",
        "is_demo",
        "changed_by",
        "changed_at",
    )
    readonly_fields = ("changed_by", "changed_at")
    autocomplete_fields = ()

    def get_readonly_fields(self, request, obj=None):
        # The pack a figure belongs to is fixed once recorded.
        return (*self.readonly_fields, "pack") if obj else self.readonly_fields

    def save_model(self, request, obj, form, change):
        obj.changed_by = request.user
        if (
            "acquisition_cost" in form.changed_data
            and "is_demo" not in form.changed_data
        ):
            # A figure typed by staff is a real one unless they say otherwise.
            obj.is_demo = False
        super().save_model(request, obj, form, change)

    def has_delete_permission(self, request, obj=None):
        # A cost is corrected, never removed: the history must stay whole.
        return False
