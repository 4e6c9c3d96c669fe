from django import forms

from catalog.models import Strength
from checkout.dispensing.models import PrescriptionRecord
from checkout.dispensing.refills.models import TransferRequest
from checkout.dispensing.refills.transfers import RECORD_FIELDS


class StrengthChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.drug.generic_name.capitalize()} {obj.mg.normalize():f} mg"


class TransferRequestForm(forms.Form):
    strength = StrengthChoiceField(
        label="Medicine and strength",
        queryset=Strength.objects.select_related("drug").order_by(
            "drug__generic_name", "mg"
        ),
        empty_label="Choose the medicine",
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


class _TransferDecisionBase(forms.ModelForm):
    decision = forms.ChoiceField(
        choices=[
            ("", "—"),
            ("complete", "Complete the transfer"),
            ("decline", "Decline"),
        ],
        required=False,
    )
    reason = forms.CharField(
        label="Reason for declining (emailed to the customer)",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    class Meta:
        model = TransferRequest
        fields = ()


def _record_fields() -> dict:
    fields = forms.fields_for_model(PrescriptionRecord, fields=RECORD_FIELDS)
    for field in fields.values():
        field.required = False  # transfers.transfer_complete says what is missing
    fields["refills_authorised"].label = "Refills remaining at that pharmacy"
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
