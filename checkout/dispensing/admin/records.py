"""Read-only admins: the prescription file, patients, the audit trail and
Oscar's orders. Nothing here changes an order; the order workflow does
(checkout/orders/actions.py)."""

from django.contrib import admin
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from oscar.apps.order import admin as oscar_order_admin
from oscar.apps.order.models import Line, Order

from checkout.dispensing import prescriptions
from checkout.dispensing.access_log import patient_shown
from checkout.dispensing.admin import prescription_files
from checkout.dispensing.admin.access import HealthDataAdmin, ReadOnlyAdmin
from checkout.dispensing.admin.access_log_admin import RecordsHealthDataViews
from checkout.dispensing.models import AccessSubject, PatientDetails, Prescription
from checkout.orders.models import OrderEvent
from pharmacy.core.people import order_customer_label, person_label


@admin.register(Prescription)
class PrescriptionAdmin(HealthDataAdmin):
    """Serves the prescription file. Prescriptions are reviewed per order on
    the review page, so this model is not listed and its list goes there."""

    def has_module_permission(self, request):
        return False

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_permission(request):
            raise Http404
        return redirect("admin:checkout_queueorder_changelist")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        prescription = Prescription.objects.filter(
            pk=object_id, order__isnull=False
        ).first()
        if prescription is None or not self.has_view_permission(request):
            raise Http404
        return redirect("admin:checkout_queueorder_review", prescription.order_id)

    def get_urls(self):
        # The file and PDF page views live in prescription_files.py.
        return [
            *prescription_files.admin_urls(self.admin_site),
            *super().get_urls(),
        ]


@admin.register(PatientDetails)
class PatientDetailsAdmin(RecordsHealthDataViews, HealthDataAdmin):
    """Patients, read-only; the pharmacist edits a profile on the order's
    review page, where the edit is recorded. Each view of one patient is in
    the access log."""

    access_subject = AccessSubject.PATIENT_PROFILE

    list_display = ("full_name", "order_number", "date_of_birth", "age")
    list_select_related = ("order",)
    count_words = ("patient", "patients")
    search_fields = ("full_name", "order__number")
    ordering = ("-created_at",)
    fields = readonly_fields = (
        "order_number",
        "full_name",
        "date_of_birth",
        "age",
        "allergies",
        "medical_conditions",
        "current_medicines",
        "counselling_wanted",
        "profile_updated_by",
        "profile_updated_at",
        "created_at",
    )

    def get_queryset(self, request):
        return super().get_queryset(request).filter(order__isnull=False)

    def access_patient(self, obj):
        return patient_shown(obj)

    @admin.display(description="Order", ordering="order__number")
    def order_number(self, obj):
        return obj.order.number if obj.order else "(in checkout)"

    @admin.display(description="Age")
    def age(self, obj):
        return prescriptions.age_on(
            date_of_birth=obj.date_of_birth, today=timezone.localdate()
        )


@admin.register(OrderEvent)
class OrderEventAdmin(RecordsHealthDataViews, ReadOnlyAdmin):
    """The audit trail. Nobody edits history. Its notes may hold health data
    (a flag's reason, a profile edit), so each view is in the access log."""

    access_subject = AccessSubject.ORDER_HISTORY

    list_display = (
        "created_at",
        "order",
        "action",
        "from_status",
        "to_status",
        "actor_name",
    )
    list_filter = ("action",)
    list_select_related = ("order__patient", "actor")
    search_fields = ("order__number",)
    ordering = ("-created_at", "-id")

    @admin.display(description="By", ordering="actor")
    def actor_name(self, obj):
        return person_label(user=obj.actor) or "the customer"


# -- Oscar's orders, read-only -------------------------------------------------
# Oscar's own OrderAdmin lets anyone with order.change_order type a new status,
# skipping the pharmacist. Orders change only through the workflow.

if admin.site.is_registered(oscar_order_admin.Order):
    admin.site.unregister(oscar_order_admin.Order)
# Line statuses too: they are set by the order's status, never by hand.
if admin.site.is_registered(Line):
    admin.site.unregister(Line)


@admin.register(Order)
class OrderAdmin(RecordsHealthDataViews, ReadOnlyAdmin):
    """What was ordered says what is taken: each view is in the access log."""

    access_subject = AccessSubject.ORDER
    list_display = ("number", "customer", "status", "total_incl_tax", "date_placed")
    list_select_related = ("user", "patient")
    list_filter = ("status",)
    search_fields = ("number", "guest_email", "user__email")
    ordering = ("-date_placed",)
    date_hierarchy = "date_placed"
    fields = readonly_fields = (
        "number",
        "status",
        "date_placed",
        "customer",
        "currency",
        "total_incl_tax",
        "shipping_incl_tax",
        "shipping_method",
        "order_lines",
    )

    def access_order(self, obj):
        return obj

    @admin.display(description="Customer")
    def customer(self, obj):
        # Name and email, never the username Oscar generated.
        return order_customer_label(order=obj)

    @admin.display(description="Lines")
    def order_lines(self, obj):
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li>{} × {} ({})</li>",
                ((line.title, line.quantity, line.status) for line in obj.lines.all()),
            ),
        )
