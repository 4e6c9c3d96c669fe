"""The pharmacist's list of transfer requests: a separate admin from the order
queue. Completing one writes the prescription record; declining emails the
customer the reason."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied

from checkout.dispensing.refills import transfers
from checkout.dispensing.refills.forms import TransferDecisionForm
from checkout.dispensing.refills.models import TransferRequest
from checkout.dispensing.refills.transfers import RECORD_FIELDS
from pharmacy.staff.roles import Perm, may


@admin.register(TransferRequest)
class TransferRequestAdmin(admin.ModelAdmin):
    form = TransferDecisionForm
    list_display = (
        "id",
        "created_at",
        "user",
        "strength",
        "pharmacy_name",
        "pharmacy_phone",
        "prescription_number",
        "status",
    )
    list_filter = ("status",)
    list_select_related = ("user", "strength__drug")
    readonly_fields = (
        "user",
        "strength",
        "pharmacy_name",
        "pharmacy_phone",
        "prescription_number",
        "status",
        "decline_reason",
        "decided_by",
        "decided_at",
        "created_at",
    )

    def get_fieldsets(self, request, obj=None):
        request_part = (
            "Request",
            {"fields": self.readonly_fields},
        )
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

    def has_add_permission(self, request):
        return False  # customers request transfers from their account

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if not may(request.user, Perm.REVIEW_PRESCRIPTIONS):
            raise PermissionDenied
        decision = form.cleaned_data.get("decision")
        try:
            if decision == "complete":
                transfers.transfer_complete(
                    transfer=obj, actor=request.user, record=form.cleaned_data
                )
                messages.success(request, "Transfer completed: prescription recorded.")
            elif decision == "decline":
                transfers.transfer_decline(
                    transfer=obj,
                    actor=request.user,
                    reason=form.cleaned_data.get("reason", ""),
                )
                messages.success(request, "Transfer declined; the customer is emailed.")
        except transfers.TransferRefused as exc:
            messages.error(request, str(exc))

    def message_user(self, request, message, level=messages.INFO, *args, **kwargs):
        # Our own messages say what happened; skip Django's generic "changed".
        if level == messages.SUCCESS and "was changed successfully" in str(message):
            return
        super().message_user(request, message, level, *args, **kwargs)
