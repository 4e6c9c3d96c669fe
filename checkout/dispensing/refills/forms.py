import copy

from django import forms
from localflavor.us.us_states import STATE_CHOICES

from catalog.models import DrugStatus, Strength
from checkout.dispensing import prescriptions
from checkout.dispensing.admin.forms import DIRECTIONS_HELP, DOSE_HELP, dose_check
from checkout.dispensing.models import PrescriptionRecord
from checkout.dispensing.refills import transfers
from checkout.dispensing.refills.models import TransferRequest
from checkout.dispensing.refills.transfers import RECORD_FIELDS
from checkout.forms import PatientDetailsForm
from pharmacy.compliance import licensing


class StrengthChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.drug.generic_name.capitalize()} {obj.mg.normalize():f} mg"


class TransferRequestForm(forms.Form):
    """What the customer tells us. Whether we may take the transfer is
    transfers.transfer_refusal's to say (the view shows its reason here)."""

    strength = StrengthChoiceField(
        label="Medicine and strength",
        queryset=Strength.objects.filter(drug__status=DrugStatus.PUBLISHED)
        .select_related("drug")
        .order_by("drug__generic_name", "mg"),
        empty_label="Choose the medicine",
    )
    # Asked as the checkout asks them (label, hint, autocomplete, errors).
    patient_name = copy.deepcopy(PatientDetailsForm.base_fields["full_name"])
    patient_date_of_birth = copy.deepcopy(
        PatientDetailsForm.base_fields["date_of_birth"]
    )
    patient_date_of_birth.label = "Patient's date of birth"
    delivery_state = forms.ChoiceField(
        label="State we would deliver to",
        choices=[("", "Choose a state")] + list(STATE_CHOICES),
        widget=forms.Select(attrs={"autocomplete": "address-level1"}),
    )
    pharmacy_name = forms.CharField(
        label="Your current pharmacy's name", max_length=200
    )
    pharmacy_phone = forms.CharField(
        label="Its phone number",
        max_length=32,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    prescription_number = forms.CharField(
        label="The prescription number there (on your medicine's label)",
        max_length=64,
    )

    def clean_patient_date_of_birth(self):
        dob = self.cleaned_data["patient_date_of_birth"]
        prescriptions.patient_age_check(date_of_birth=dob)
        return dob

    def clean_strength(self):
        strength = self.cleaned_data["strength"]
        refusal = transfers.strength_refusal(strength=strength)
        if refusal:
            raise forms.ValidationError(refusal)
        return strength

    def clean_delivery_state(self):
        state = self.cleaned_data["delivery_state"]
        refusal = licensing.state_delivery_refusal(state=state, fresh=True)
        if refusal:
            raise forms.ValidationError(refusal)
        return state


class _TransferDecisionBase(forms.ModelForm):
    """The pharmacist's decision. What would make the service refuse it is
    said here, beside the fields, so a failed form keeps what was typed; the
    service checks the same rules again (transfers.py)."""

    decision = forms.ChoiceField(
        label="Decision",
        choices=[
            ("complete", "Complete the transfer"),
            ("decline", "Decline"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose to complete or to decline."},
    )
    reason = forms.CharField(
        label="Reason for declining (emailed to the customer)",
        help_text="Say why in plain words, with no health details.",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    class Meta:
        model = TransferRequest
        fields = ()

    def clean_prescriber_npi(self) -> str:
        npi = self.cleaned_data.get("prescriber_npi", "")
        return prescriptions.npi_check(npi=npi) if npi else npi

    def clean(self):
        data = super().clean()
        transfer = self.instance
        if data.get("decision") == "decline":
            if not (data.get("reason") or "").strip():
                self.add_error("reason", "Please give the customer a reason.")
        elif data.get("decision") == "complete":
            refusal = transfers.transfer_refusal(
                strength=transfer.strength, state=transfer.delivery_state
            )
            if refusal:
                raise forms.ValidationError(
                    f"This transfer can't be completed: {refusal} Decline it "
                    "with the reason."
                )
            for name in transfers.transfer_record_missing(record=data):
                if name not in self.errors:
                    self.add_error(name, "Needed to complete the transfer.")
            dose_check(self, strength=transfer.strength)
        return data


def _record_fields() -> dict:
    fields = forms.fields_for_model(
        PrescriptionRecord,
        fields=RECORD_FIELDS,
        widgets={
            "date_written": forms.DateInput(attrs={"type": "date"}),
            "directions": forms.TextInput(attrs={"size": 40}),
        },
    )
    for field in fields.values():
        field.required = False  # needed only to complete, said in clean()
    fields["refills_authorised"].label = "Refills remaining at that pharmacy"
    fields["dose_mg"].help_text = fields["doses_per_day"].help_text = DOSE_HELP
    fields["directions"].help_text = DIRECTIONS_HELP
    fields["quantity_left"].help_text = (
        "Leave empty: quantity prescribed x refills remaining (each refill "
        "transferred is one fill here)."
    )
    return fields


# The pharmacist's decision on a transfer, with the record to write when
# completing it (declared fields, so the admin's fieldsets may name them).
TransferDecisionForm = type(
    "TransferDecisionForm", (_TransferDecisionBase,), _record_fields()
)
