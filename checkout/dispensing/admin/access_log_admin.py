"""The health data access log in the admin: superusers and the Superintendent
list and filter it; nobody adds, changes or deletes a record."""

from django.contrib import admin

from checkout.dispensing import access_log
from checkout.dispensing.access_log import PatientShown, patient_shown, record_access
from checkout.dispensing.models import AccessAction, AccessSubject, HealthDataAccess
from pharmacy.core.read_only_admin import ReadOnlyAdmin
from pharmacy.staff.roles import Perm, staff_may


@admin.register(HealthDataAccess)
class HealthDataAccessAdmin(ReadOnlyAdmin):
    """ "Who saw patient X?": search by the patient's name or date of birth
    (or an order number, or a username); each record names the patients its
    page showed."""

    list_display = (
        "created_at",
        "username",
        "patients_shown",
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
    search_fields = ("=order_number", "username", "patients__full_name")
    search_help_text = (
        "A patient's name or date of birth (YYYY-MM-DD or MM/DD/YYYY), an order "
        "number or a username."
    )
    date_hierarchy = "created_at"
    ordering = ("-created_at", "-id")
    list_per_page = 100
    fields = readonly_fields = (
        "created_at",
        "username",
        "user",
        "action",
        "subject",
        "patients_shown",
        "order_number",
        "order",
        "detail",
        "path",
    )
    actions = None
    count_words = ("record", "records")

    class Media:
        css = {"all": ["css/admin-access-log.css"]}

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("patients")

    def get_search_results(self, request, queryset, search_term):
        # A date of birth is matched exactly; anything else as Django's
        # search does (a patient's name, an order number, a username).
        born = access_log.date_typed(search_term)
        if born is not None:
            return queryset.filter(patients__date_of_birth=born).distinct(), False
        return super().get_search_results(request, queryset, search_term)

    @admin.display(description="Patients shown")
    def patients_shown(self, obj) -> str:
        return "; ".join(str(patient) for patient in obj.patients.all()) or "—"

    def changelist_view(self, request, extra_context=None):
        # Without the navigation sidebar, every column fits 1280 px.
        return super().changelist_view(
            request,
            {
                "title": "Health data access log",
                "is_nav_sidebar_enabled": False,
                **(extra_context or {}),
            },
        )

    def has_module_permission(self, request):
        return staff_may(request.user, Perm.READ_ACCESS_LOG)

    def has_view_permission(self, request, obj=None):
        return staff_may(request.user, Perm.READ_ACCESS_LOG)


class RecordsHealthDataViews:
    """ModelAdmin mixin for pages that show health data: each time a list or
    one object is shown it is recorded, naming the patients shown (a list:
    every patient on the page); each save is recorded as changed (naming the
    fields changed, never their values).

    Set ``access_subject``; override ``access_order`` when the object does not
    have an ``order`` attribute, and ``access_patient`` when its patient is
    not the order's.
    """

    access_subject: AccessSubject

    def access_order(self, obj):
        return getattr(obj, "order", None)

    def access_patient(self, obj) -> PatientShown | None:
        order = self.access_order(obj)
        return patient_shown(getattr(order, "patient", None)) if order else None

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        context = getattr(response, "context_data", None) or {}
        changelist = context.get("cl")
        if request.method == "GET" and response.status_code == 200 and changelist:
            # The page's rows, read once: the template reuses what this read.
            shown = list(changelist.result_list)
            if shown:
                record_access(
                    user=request.user,
                    order=None,
                    subject=self.access_subject,
                    action=AccessAction.LISTED,
                    detail=f"list: {len(shown)} shown",
                    patients=[self.access_patient(obj) for obj in shown],
                    request=request,
                )
        return response

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
                patients=[self.access_patient(shown)],
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
            patients=[self.access_patient(obj)],
            request=request,
        )
