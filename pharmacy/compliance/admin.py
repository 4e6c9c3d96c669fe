from django.contrib import admin

from pharmacy.compliance.models import PolicyPage, StateLicence


@admin.register(StateLicence)
class StateLicenceAdmin(admin.ModelAdmin):
    list_display = ("state", "licence_number", "is_active", "updated_at")
    list_editable = ("licence_number", "is_active")
    list_filter = ("is_active",)
    search_fields = ("state", "licence_number")


@admin.register(PolicyPage)
class PolicyPageAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "is_template", "updated_at")
    readonly_fields = ("kind", "updated_at")
    fields = ("kind", "title", "body", "is_template", "updated_at")

    def has_add_permission(self, request):
        # The set of pages is fixed: the footer links to each one.
        return False

    def has_delete_permission(self, request, obj=None):
        return False
