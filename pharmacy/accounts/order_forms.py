"""The form on an order's status page: answering a hold with a new
prescription or the prescriber's details."""

from checkout.dispensing.models import Prescription
from checkout.dispensing.prescriptions import SuppliedPrescription
from checkout.forms import PrescriptionForm

ANSWERS = (Prescription.Source.UPLOAD, Prescription.Source.PRESCRIBER)


class HoldAnswerForm(PrescriptionForm):
    """The checkout's prescription form and its checks, offering only what a
    customer can send: a new upload, or the prescriber's details."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        source = self.fields["source"]
        source.label = "What will you send?"
        source.choices = [
            (value, "Upload a new prescription")
            if value == Prescription.Source.UPLOAD
            else (value, "Give my prescriber's details")
            for value in ANSWERS
        ]

    def supplied(self) -> SuppliedPrescription:
        data = self.cleaned_data
        if data["source"] == Prescription.Source.UPLOAD:
            return SuppliedPrescription(
                source=data["source"], upload_kind=self.upload_kind
            )
        return SuppliedPrescription(
            source=data["source"],
            prescriber_name=data["prescriber_name"],
            prescriber_phone=data["prescriber_phone"],
            prescriber_npi=data["prescriber_npi"],
        )
