"""Staff see every outgoing email that failed for good, and can send it again."""

from django.contrib import admin, messages

from pharmacy.core import outbox
from pharmacy.core.models import OutboundEmail


class StatusFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return OutboundEmail.Status.choices

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(status=self.value())
        return queryset


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin):
    list_display = ("subject", "recipients", "status", "attempts", "created_at")
    list_filter = (StatusFilter,)
    search_fields = ("subject",)
    actions = ("retry_selected",)
    fields = readonly_fields = (
        "subject",
        "recipients",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "next_try_at",
        "sent_at",
        "body",
    )

    @admin.display(description="To")
    def recipients(self, obj):
        return ", ".join(obj.to)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description="Try sending the selected failed emails again")
    def retry_selected(self, request, queryset):
        count = outbox.emails_retry(email_ids=queryset.values_list("pk", flat=True))
        self.message_user(
            request,
            f"{count} email(s) queued to be sent again.",
            messages.SUCCESS if count else messages.WARNING,
        )
