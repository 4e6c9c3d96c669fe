"""The pharmacist's e-prescription pages: the e-prescriptions (the unmatched
ones first, to match by hand) and every message with its answer. Health
data: pharmacists only, and each list and page shown is in the access log."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Case, When

from checkout.dispensing.access_log import record_access
from checkout.dispensing.admin.access import HealthDataAdmin, may_review
from checkout.dispensing.eprescribing import inbox
from checkout.dispensing.eprescribing.models import EPrescription, ErxMessage
from checkout.dispensing.models import AccessAction, AccessSubject


class AccessRecorded:
    """Each list and each page of one row is recorded as viewed; the detail
    names the row, never what it holds."""

    access_subject: AccessSubject

    def _viewed(self, request, response, detail: str) -> None:
        if request.method == "GET" and response.status_code == 200:
            record_access(
                user=request.user,
                order=None,
                subject=self.access_subject,
                action=AccessAction.VIEWED,
                detail=detail,
                request=request,
            )

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        self._viewed(request, response, "list")
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        self._viewed(request, response, f"{self.model._meta.model_name} {object_id}")
        return response


@admin.register(ErxMessage)
class ErxMessageAdmin(AccessRecorded, HealthDataAdmin):
    access_subject = AccessSubject.ERX_MESSAGE
    list_display = (
        "received_at",
        "intermediary",
        "kind",
        "message_id",
        "outcome",
        "error_code",
        "times_received",
    )
    list_filter = ("outcome", "kind", "intermediary")
    search_fields = ("=message_id", "=relates_to_message_id")
    fields = readonly_fields = (
        "received_at",
        "intermediary",
        "kind",
        "message_id",
        "relates_to_message_id",
        "content_type",
        "body_bytes",
        "times_received",
        "last_received_at",
        "outcome",
        "error_code",
        "error_words",
        "raw",
        "answer_status",
        "answer",
    )


class MatchForm(forms.ModelForm):
    customer_email = forms.EmailField(
        label="Customer's account email",
        required=True,
        help_text="Match only when you are sure this is the patient: check the "
        "name, date of birth and address against the customer's orders.",
    )

    class Meta:
        model = EPrescription
        fields = ()

    def clean_customer_email(self):
        email = self.cleaned_data["customer_email"]
        customer = (
            get_user_model()
            .objects.filter(email__iexact=email, is_active=True, is_staff=False)
            .first()
        )
        if customer is None:
            raise forms.ValidationError("No customer account has that email.")
        self.customer = customer
        return email


@admin.register(EPrescription)
class EPrescriptionAdmin(AccessRecorded, HealthDataAdmin):
    access_subject = AccessSubject.EPRESCRIPTION
    form = MatchForm
    list_display = (
        "created_at",
        "status",
        "patient_name",
        "patient_date_of_birth",
        "drug_description",
        "prescriber",
        "customer",
    )
    list_filter = ("status",)
    list_select_related = ("customer", "prescription")
    readonly_fields = (
        "status",
        "customer",
        "matched_by",
        "matched_at",
        "patient_name",
        "patient_date_of_birth",
        "patient_address",
        "patient_phone",
        "patient_email",
        "prescriber",
        "prescriber_npi",
        "prescriber_phone",
        "prescriber_address",
        "drug_description",
        "strength_text",
        "quantity_text",
        "directions",
        "refills",
        "date_written",
        "substitution_allowed",
        "prescriber_order_number",
        "message",
        "cancel_message",
        "created_at",
    )

    @admin.display(description="prescriber")
    def prescriber(self, obj):
        return obj.prescription.prescriber_name

    @admin.display(description="prescriber NPI")
    def prescriber_npi(self, obj):
        return obj.prescription.prescriber_npi

    @admin.display(description="prescriber's phone")
    def prescriber_phone(self, obj):
        return obj.prescription.prescriber_phone

    @admin.display(description="directions")
    def directions(self, obj):
        return obj.prescription.record.directions

    @admin.display(description="refills")
    def refills(self, obj):
        return obj.prescription.record.refills_authorised

    @admin.display(description="date written")
    def date_written(self, obj):
        return obj.prescription.record.date_written

    def get_queryset(self, request):
        # The unmatched ones first: they wait for a pharmacist.
        unmatched_first = Case(
            When(status=EPrescription.Status.UNMATCHED, then=0), default=1
        )
        return super().get_queryset(request).order_by(unmatched_first, "-created_at")

    def get_fields(self, request, obj=None):
        if obj is not None and obj.status == EPrescription.Status.UNMATCHED:
            return ("customer_email", *self.readonly_fields)
        return self.readonly_fields

    def has_change_permission(self, request, obj=None):
        # Only to match an unmatched one by hand; nothing else is edited here.
        return may_review(request) and (
            obj is None or obj.status == EPrescription.Status.UNMATCHED
        )

    def save_model(self, request, obj, form, change):
        if not may_review(request):
            raise PermissionDenied
        try:
            inbox.eprescription_match(
                erx=obj, customer=form.customer, actor=request.user
            )
        except inbox.MatchRefused as exc:
            messages.error(request, str(exc))
            return
        record_access(
            user=request.user,
            order=None,
            subject=AccessSubject.EPRESCRIPTION,
            action=AccessAction.CHANGED,
            detail=f"eprescription {obj.pk} matched",
            request=request,
        )
        messages.success(
            request, "Matched: the customer is emailed that their prescription arrived."
        )

    def message_user(self, request, message, level=messages.INFO, *args, **kwargs):
        # Our own messages say what happened; skip Django's generic "changed".
        if level == messages.SUCCESS and "was changed successfully" in str(message):
            return
        super().message_user(request, message, level, *args, **kwargs)
