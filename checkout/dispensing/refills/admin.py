"""The pharmacist's list of transfer requests: a separate admin from the order
queue. Completing one writes the prescription record; declining emails the
customer the reason.

The page names the patient by name and date of birth and the customer by name
and email, never by the generated username, and links nowhere a pharmacist
cannot open (no link to the user, strength or staff account admins).
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied

from checkout.dispensing.access_log import PatientShown
from checkout.dispensing.admin.access_log_admin import RecordsHealthDataViews
from checkout.dispensing.models import AccessSubject
from checkout.dispensing.records import DoseUnclear
from checkout.dispensing.refills import rules, transfers
from checkout.dispensing.refills.forms import TransferDecisionForm
from checkout.dispensing.refills.models import TransferRequest
from checkout.dispensing.refills.transfers import RECORD_FIELDS
from pharmacy.compliance import licensing
from pharmacy.staff.roles import Perm, may


def _person(user) -> str:
    if user is None:
        return ""
    name = user.get_full_name()
    return f"{name} ({user.email})" if name else user.email


@admin.register(TransferRequest)
class TransferRequestAdmin(RecordsHealthDataViews, admin.ModelAdmin):
    form = TransferDecisionForm
    # Whose prescription it is: each view, list or one, is in the access log.
    access_subject = AccessSubject.TRANSFER_REQUEST
    list_display = (
        "id",
        "created_at",
        "patient",
        "patient_date_of_birth",
        "medicine",
        "pharmacy_name",
        "pharmacy_phone",
        "prescription_number",
        "status",
    )
    list_display_links = ("id", "patient")

    class Media:
        css = {"all": ["css/admin-transfers.css"]}

    list_filter = ("status",)
    list_select_related = ("user", "strength__drug")
    readonly_fields = (
        "patient",
        "patient_date_of_birth",
        "customer",
        "medicine",
        "delivery_state_name",
        "pharmacy_name",
        "pharmacy_phone",
        "prescription_number",
        "status",
        "decline_reason",
        "decided",
        "created_at",
    )

    @admin.display(description="Patient", ordering="patient_name")
    def patient(self, obj):
        return obj.patient_name or "(not given: ask the customer)"

    @admin.display(description="Customer's account")
    def customer(self, obj):
        return _person(obj.user)

    @admin.display(description="Medicine", ordering="strength__mg")
    def medicine(self, obj):
        return f"{obj.strength.drug.generic_name} {obj.strength.mg.normalize():f} mg"

    @admin.display(description="State for delivery")
    def delivery_state_name(self, obj):
        if not obj.delivery_state:
            return "(not given)"
        return licensing.state_name(state=obj.delivery_state)

    @admin.display(description="Decided")
    def decided(self, obj):
        if obj.decided_at is None:
            return "Not yet"
        when = f"{obj.decided_at:%Y-%m-%d %H:%M}"
        by = obj.decided_by.get_full_name() or obj.decided_by.get_username()
        return f"{when} by {by}"

    def get_fieldsets(self, request, obj=None):
        request_part = ("Request", {"fields": self.readonly_fields})
        if obj is None or obj.status != TransferRequest.Status.PENDING:
            return [request_part]
        return [
            request_part,
            (
                "Prescription record (copied from the other pharmacy)",
                {"fields": RECORD_FIELDS},
            ),
            ("Decision", {"fields": ("decision", "reason")}),
        ]

    def access_order(self, obj):
        return None

    def access_patient(self, obj) -> PatientShown:
        # As the page names them; the customer when no patient was given.
        return PatientShown(
            full_name=obj.patient_name or _person(obj.user),
            date_of_birth=obj.patient_date_of_birth,
        )

    def has_add_permission(self, request):
        return False  # customers request transfers from their account

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        # A decided transfer is history: shown, never changed.
        return super().has_change_permission(request, obj) and (
            obj is None or obj.status == TransferRequest.Status.PENDING
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        if not may(request.user, Perm.REVIEW_PRESCRIPTIONS):
            raise PermissionDenied
        decision = form.cleaned_data.get("decision")
        try:
            if decision == "complete":
                record = transfers.transfer_complete(
                    transfer=obj, actor=request.user, record=form.cleaned_data
                )
                messages.success(
                    request,
                    f"Transfer completed: prescription {rules.rx_number(record=record)}"
                    " recorded; the customer is emailed.",
                )
            elif decision == "decline":
                transfers.transfer_decline(
                    transfer=obj,
                    actor=request.user,
                    reason=form.cleaned_data.get("reason", ""),
                )
                messages.success(request, "Transfer declined; the customer is emailed.")
        except (transfers.TransferRefused, DoseUnclear) as exc:
            # The form said everything it could; this is what changed since.
            messages.error(request, f"Nothing was recorded: {exc}")

    def message_user(self, request, message, level=messages.INFO, *args, **kwargs):
        # Our own messages say what happened; skip Django's generic "changed".
        if level == messages.SUCCESS and "was changed successfully" in str(message):
            return
        super().message_user(request, message, level, *args, **kwargs)
