"""The admin base for rows nobody adds, changes or deletes by hand: history,
logs, records that only services write."""

from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """Nobody adds, changes or deletes these rows here, superusers included."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
