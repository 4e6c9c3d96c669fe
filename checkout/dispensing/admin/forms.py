"""Forms of the pharmacist's review page and its confirmation steps."""

from decimal import Decimal

from django import forms
from django.utils import timezone

from catalog.models import Drug, Strength
from checkout.dispensing import clinical, prescriptions, records
from checkout.dispensing.models import (
    CounsellingRecord,
    PatientDetails,
    PrescriptionRecord,
)
from checkout.dispensing.records import EDITABLE_FIELDS
from checkout.orders.workflow import HoldReason, hold_reason_text
from checkout.payments.invoices import Received
from checkout.payments.models import InvoicePaymentReceived

# What each field left to fill in says when the directions cannot settle it.
_DOSE_PROMPTS = {
    "dose_mg": "Enter the dose in mg each time.",
    "doses_per_day": "Enter the times a day.",
    "strength": "Choose the strength.",
}
DIRECTIONS_HELP = (
    'As written, in words or sig codes: "one tablet three times a day", '
    '"1 tab PO q8h PRN spasm, max 3/day".'
)
DOSE_HELP = (
    "Left blank, it is read from the directions; when they cannot be read, "
    "you are asked for it."
)


def dose_check(form: forms.Form, *, strength) -> None:
    """Ask for the dose and the times a day when the directions cannot give
    them (records.record_dose, the rule saving applies too): the message
    beside the directions, a prompt beside each field to fill in."""
    data = form.cleaned_data
    if any(name in form.errors for name in ("directions", *_DOSE_PROMPTS)):
        return
    try:
        records.record_dose(
            directions=data.get("directions", ""),
            strength_mg=strength.mg if strength else None,
            dose_mg=data.get("dose_mg"),
            doses_per_day=data.get("doses_per_day"),
        )
    except records.DoseUnclear as exc:
        form.add_error("directions", str(exc))
        for name in exc.fields:
            if name in form.fields:
                form.add_error(name, _DOSE_PROMPTS[name])


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="Reason (emailed to the customer)",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages={"required": "Please give the customer a reason."},
    )


class HoldForm(forms.Form):
    """Why the order is on hold, picked from the reasons the customer is told
    in plain words (workflow.HOLD_REASON_WORDS), and the pharmacist's own."""

    reason = forms.ChoiceField(
        label="Why is the order on hold?",
        choices=HoldReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Please choose why the order is on hold."},
    )
    words = forms.CharField(
        label="Words for the customer (optional; emailed to them, so no health "
        "details)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
    )

    def clean(self):
        data = super().clean()
        if "reason" in data:
            try:
                hold_reason_text(reason=data["reason"], words=data.get("words", ""))
            except ValueError as exc:
                self.add_error("words", str(exc))
        return data


class RecordPaymentForm(forms.Form):
    """Money received against an invoice, as it arrived."""

    amount = forms.DecimalField(
        label="Amount received",
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0.01"),
        error_messages={"required": "Please enter the amount received."},
    )
    received_on = forms.DateField(
        label="Date received",
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "Please enter the date the money arrived."},
    )
    method = forms.ChoiceField(
        label="How it was paid",
        choices=InvoicePaymentReceived.Method.choices,
        error_messages={"required": "Please choose how it was paid."},
    )
    reference = forms.CharField(
        label="Reference (optional: the bank's or the check number)",
        required=False,
        max_length=120,
    )

    def received(self) -> Received:
        return Received(**self.cleaned_data)


class CancelForm(ReasonForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        reason = self.fields["reason"]
        reason.label = "Why the customer asked to cancel (emailed to them)"
        reason.error_messages["required"] = "Please record why the order is cancelled."


class NoteForm(forms.Form):
    note = forms.CharField(
        label="Note for the order's history (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class DispatchForm(forms.Form):
    carrier = forms.CharField(
        label="Carrier",
        max_length=60,
        error_messages={"required": "Please name the carrier."},
    )
    tracking_reference = forms.CharField(
        label="Tracking reference",
        max_length=128,
        error_messages={"required": "Please enter the carrier's tracking reference."},
    )


class ConfirmForm(forms.Form):
    """Approval asks for nothing but the confirmation itself."""


class PrescriptionRecordForm(forms.ModelForm):
    """The pharmacist's transcription. Every field may be left blank while
    working; approval says what is missing."""

    class Meta:
        model = PrescriptionRecord
        fields = EDITABLE_FIELDS
        widgets = {
            "date_written": forms.DateInput(attrs={"type": "date"}),
            "directions": forms.TextInput(attrs={"size": 40}),
        }
        help_texts = {
            "directions": DIRECTIONS_HELP,
            "dose_mg": DOSE_HELP,
            "doses_per_day": DOSE_HELP,
            "quantity_left": "Left blank: quantity prescribed × (1 + refills).",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["drug"].queryset = Drug.objects.all()
        self.fields["strength"].queryset = Strength.objects.select_related("drug")
        for field in self.fields.values():
            field.required = False

    def clean_prescriber_npi(self) -> str:
        npi = self.cleaned_data.get("prescriber_npi", "")
        if npi:
            npi = prescriptions.npi_check(npi=npi)
        return npi

    def clean(self):
        data = super().clean()
        drug, strength = data.get("drug"), data.get("strength")
        if drug and strength and strength.drug_id != drug.pk:
            self.add_error("strength", "That strength belongs to another drug.")
        dose_check(self, strength=strength)
        return data


class PatientProfileForm(forms.Form):
    """A plain form, so validating it leaves the patient untouched until the
    service compares and saves (and records who changed what)."""

    allergies = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    medical_conditions = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    current_medicines = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    @classmethod
    def for_patient(cls, data, *, patient: PatientDetails | None, prefix: str):
        initial = (
            {name: getattr(patient, name) for name in cls.base_fields}
            if patient
            else {}
        )
        return cls(data, initial=initial, prefix=prefix)


class AcknowledgeForm(forms.Form):
    """Every open clinical flag, each with the pharmacist's note, acknowledged
    in one submit. A field per flag, named by the flag's stable code, so a
    flag that appears after the page was drawn is asked about, not skipped."""

    def __init__(self, *args, flags: list[clinical.Flag], **kwargs):
        super().__init__(*args, **kwargs)
        self.flags = flags
        for flag in flags:
            self.fields[flag.code] = forms.CharField(
                label=f"Why the order may go ahead despite: {flag.title}",
                widget=forms.Textarea(attrs={"rows": 2}),
                max_length=2000,
                error_messages={"required": "Please write why the order may go ahead."},
            )

    def flag_fields(self) -> list[tuple[clinical.Flag, forms.BoundField]]:
        return [(flag, self[flag.code]) for flag in self.flags]

    def notes(self) -> list[tuple[clinical.Flag, str]]:
        return [(flag, self.cleaned_data[flag.code]) for flag in self.flags]


class CounsellingForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Counselling",
        choices=CounsellingRecord.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Please choose given or declined."},
    )
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )
