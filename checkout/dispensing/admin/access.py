"""Who may see the pharmacist's side of the admin.

Health data (patients, prescriptions, the queue and the review page) is for
staff who may review prescriptions (pharmacy/staff/roles.py), nobody else: not
the price editor, not the review moderator. Pages refuse with 404, so an
outsider learns nothing, not even that an order or prescription exists.
"""

from functools import wraps

from django.http import Http404

from pharmacy.core.read_only_admin import ReadOnlyAdmin
from pharmacy.staff.roles import Perm, staff_may


def may_review(request) -> bool:
    return staff_may(request.user, Perm.REVIEW_PRESCRIPTIONS)


def reviewers_only(view):
    """Wrap an admin view: anyone but a pharmacist gets a 404."""

    @wraps(view)
    def inner(request, *args, **kwargs):
        if not may_review(request):
            raise Http404
        return view(request, *args, **kwargs)

    return inner


class HealthDataAdmin(ReadOnlyAdmin):
    """Read-only, and invisible (not even listed) without the review permission."""

    def has_module_permission(self, request):
        return may_review(request)

    def has_view_permission(self, request, obj=None):
        return may_review(request)
