"""Who may see the pharmacist's side of the admin.

Health data (patients, prescriptions, the queue and the review page) is for
staff holding checkout.review_prescription, nobody else: not the price editor,
not the review moderator. Pages refuse with 404, so an outsider learns nothing,
not even that an order or prescription exists.
"""

from functools import wraps

from django.contrib import admin
from django.http import Http404

from checkout.orders import lifecycle


def may_review(request) -> bool:
    user = request.user
    return (
        user.is_active and user.is_staff and user.has_perm(lifecycle.REVIEW_PERMISSION)
    )


def may_dispatch(request) -> bool:
    user = request.user
    return (
        user.is_active
        and user.is_staff
        and user.has_perm(lifecycle.DISPATCH_PERMISSION)
    )


def reviewers_only(view):
    """Wrap an admin view: anyone but a pharmacist gets a 404."""

    @wraps(view)
    def inner(request, *args, **kwargs):
        if not may_review(request):
            raise Http404
        return view(request, *args, **kwargs)

    return inner


class ReadOnlyAdmin(admin.ModelAdmin):
    """Nobody adds, changes or deletes these rows by hand, superusers included."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class HealthDataAdmin(ReadOnlyAdmin):
    """Read-only, and invisible (not even listed) without the review permission."""

    def has_module_permission(self, request):
        return may_review(request)

    def has_view_permission(self, request, obj=None):
        return may_review(request)
