import datetime

from django import forms
from localflavor.us.forms import USZipCodeField
from localflavor.us.us_states import STATE_CHOICES
from oscar.apps.checkout.forms import *  # noqa: F403
from oscar.apps.checkout.forms import GatewayForm as OscarGatewayForm
from oscar.apps.checkout.forms import ShippingAddressForm as OscarShippingAddressForm

from checkout.dispensing import prescriptions, sources
from checkout.dispensing.models import Prescription
from checkout.payments.states import PaymentMethod
from pharmacy.compliance import licensing


class ShippingAddressForm(OscarShippingAddressForm):
    """Oscar's address form for US delivery: a state list and a ZIP code."""

    state = forms.ChoiceField(
        label="State",
        choices=[("", "Choose a state")] + list(STATE_CHOICES),
        widget=forms.Select(attrs={"autocomplete": "address-level1"}),
    )
    postcode = USZipCodeField(label="ZIP code")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["line4"].label = "City"
        self.fields["line3"].widget = forms.HiddenInput()
        for name, hint in (
            ("first_name", "given-name"),
            ("last_name", "family-name"),
            ("line1", "address-line1"),
            ("line2", "address-line2"),
            ("line4", "address-level2"),
            ("postcode", "postal-code"),
            ("phone_number", "tel"),
        ):
            if name in self.fields:
                self.fields[name].widget.attrs["autocomplete"] = hint

    def clean_state(self) -> str:
        state = self.cleaned_data["state"]
        refusal = licensing.state_delivery_refusal(state=state)
        if refusal:
            raise forms.ValidationError(refusal)
        return state


class PatientDetailsForm(forms.Form):
    full_name = forms.CharField(
        label="Patient's full legal name",
        max_length=200,
        help_text="As it appears on the prescription.",
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    date_of_birth = forms.DateField(
        label="Date of birth",
        widget=forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}),
        error_messages={"invalid": "Enter the date of birth as YYYY-MM-DD."},
    )
    allergies = forms.CharField(
        label="Allergies (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    medical_conditions = forms.CharField(
        label="Medical conditions (optional)",
        required=False,
        max_length=2000,
        help_text="For example kidney problems, epilepsy, pregnancy.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    current_medicines = forms.CharField(
        label="Other medicines you take (optional)",
        required=False,
        max_length=2000,
        help_text="Include medicines bought without a prescription, and alcohol.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    counselling = forms.ChoiceField(
        label="Would you like to speak to our pharmacist about this medicine?",
        choices=[("yes", "Yes, please call me"), ("no", "No, thank you")],
        widget=forms.RadioSelect,
        error_messages={"required": "Please choose yes or no."},
    )
    counselling_phone = forms.CharField(
        label="Phone number for the pharmacist's call (if yes)",
        required=False,
        max_length=32,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    counselling_best_time = forms.CharField(
        label="A good time to call (if yes)",
        required=False,
        max_length=120,
        help_text="For example: weekdays after 5 pm.",
    )

    def clean_date_of_birth(self) -> datetime.date:
        dob = self.cleaned_data["date_of_birth"]
        prescriptions.patient_age_check(date_of_birth=dob)
        return dob

    def clean(self):
        data = super().clean()
        if data.get("counselling") == "yes":
            if not data.get("counselling_phone", "").strip():
                self.add_error(
                    "counselling_phone",
                    "Please give a phone number so the pharmacist can call you.",
                )
        else:
            data["counselling_phone"] = data["counselling_best_time"] = ""
        return data


class PrescriptionForm(forms.Form):
    source = forms.ChoiceField(
        label="How will you give us the prescription?",
        choices=sources.CHECKOUT_CHOICES,
        widget=forms.RadioSelect,
        initial=Prescription.Source.UPLOAD,
    )
    file = forms.FileField(
        label="Prescription (photo, scan or PDF, up to 10 MB)",
        required=False,
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,application/pdf"}
        ),
    )
    prescriber_name = forms.CharField(
        label="Prescriber's name", required=False, max_length=200
    )
    prescriber_phone = forms.CharField(
        label="Prescriber's phone",
        required=False,
        max_length=32,
        widget=forms.TextInput(attrs={"type": "tel"}),
    )
    prescriber_npi = forms.CharField(
        label="Prescriber's NPI (10 digits)",
        required=False,
        max_length=14,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("source") == Prescription.Source.UPLOAD:
            upload = data.get("file")
            if not upload:
                self.add_error("file", "Please choose the prescription file to upload.")
            else:
                try:
                    self.upload_kind = prescriptions.prescription_upload_check(
                        upload=upload
                    )
                except forms.ValidationError as exc:
                    self.add_error("file", exc)
        elif data.get("source") == Prescription.Source.PRESCRIBER:
            for name, message in (
                ("prescriber_name", "Please enter the prescriber's name."),
                ("prescriber_phone", "Please enter the prescriber's phone number."),
                ("prescriber_npi", "Please enter the prescriber's 10-digit NPI."),
            ):
                if not data.get(name, "").strip():
                    self.add_error(name, message)
            if data.get("prescriber_npi", "").strip():
                try:
                    data["prescriber_npi"] = prescriptions.npi_check(
                        npi=data["prescriber_npi"]
                    )
                except forms.ValidationError as exc:
                    self.add_error("prescriber_npi", exc)
        return data


class PaymentMethodForm(forms.Form):
    method = forms.ChoiceField(
        label="How would you like to pay?", widget=forms.RadioSelect
    )

    refill_reminder = forms.BooleanField(
        label="Email me a week before this medicine runs out, so I can request a "
        "refill (you can stop these at any time)",
        required=False,
    )

    def __init__(
        self, *args, card_enabled: bool, offer_reminder: bool = False, **kwargs
    ):
        super().__init__(*args, **kwargs)
        choices = [(PaymentMethod.INVOICE.value, PaymentMethod.INVOICE.label)]
        if card_enabled:
            choices.insert(0, (PaymentMethod.CARD.value, PaymentMethod.CARD.label))
        self.fields["method"].choices = choices
        self.fields["method"].initial = choices[0][0]
        if not offer_reminder:
            # Reminders need an account to refill from.
            del self.fields["refill_reminder"]


class GatewayForm(OscarGatewayForm):
    """Oscar's "who are you?" form with labels a screen reader can announce."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["options"].label = "Do you have an account with us?"
        # Only returning customers need it; Oscar ignores it for guests.
        self.fields["password"].required = False
        self.fields["password"].label = "Password (returning customers)"

    def clean(self):
        # Guests and new customers go on whether or not the email has an
        # account (Oscar says "a user with that email address already
        # exists"): registration answers by email, to the address's owner.
        if self.is_guest_checkout() or self.is_new_account_checkout():
            self.errors.pop("password", None)
            return self.cleaned_data
        if not self.data.get("password"):
            raise forms.ValidationError("Please enter your password.")
        # Oscar's check for a returning customer is AuthenticationForm's:
        # authenticate(request=...), so django-axes counts and locks this
        # sign-in path too.
        return super().clean()
