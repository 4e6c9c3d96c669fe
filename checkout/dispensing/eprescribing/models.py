"""E-prescriptions from prescribers' systems: every message an intermediary
sent us with the answer we gave (raw, as health data), and each prescription
a NewRx brought, matched to a customer or waiting to be matched by hand.

The prescription itself lives in the dispensing room: an EPrescription points
at the checkout.Prescription (source "erx") and its PrescriptionRecord,
pre-filled from the message, that checkout, refills and approval read."""

from django.conf import settings
from django.db import models


class MessageKind(models.TextChoices):
    NEW_RX = "NewRx", "NewRx (new prescription)"
    CANCEL_RX = "CancelRx", "CancelRx (cancellation)"
    FHIR_NEW_RX = "fhir", "FHIR MedicationRequest (new prescription)"
    UNKNOWN = "", "Not read"


class ErxMessage(models.Model):
    """One message received and the answer sent. Health data: pharmacists
    only, each view recorded in the access log.

    A repeat of a MessageID is not stored again: the unique constraint keeps
    the first, and the repeat gets its stored answer (``times_received``).
    """

    class Outcome(models.TextChoices):
        ACCEPTED = "accepted", "Accepted (Status)"
        REFUSED = "refused", "Refused (Error)"

    # The intermediary's name from settings.ERX_INTERMEDIARIES; blank when the
    # credentials were wrong.
    intermediary = models.CharField(max_length=64, blank=True)
    kind = models.CharField(
        max_length=16, choices=MessageKind.choices, blank=True, default=""
    )
    # Null when the message could not be read far enough to find it.
    message_id = models.CharField("MessageID", max_length=64, null=True, blank=True)
    relates_to_message_id = models.CharField(
        "RelatesToMessageID", max_length=64, blank=True
    )
    content_type = models.CharField(max_length=100, blank=True)
    # As received; empty when it was refused before reading (size, credentials).
    raw = models.TextField(blank=True)
    body_bytes = models.PositiveIntegerField(null=True, blank=True)
    received_at = models.DateTimeField(auto_now_add=True, db_index=True)
    times_received = models.PositiveIntegerField(default=1)
    last_received_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    error_code = models.CharField(max_length=8, blank=True)
    # Words for the sender: what was wrong. Never a patient's details.
    error_words = models.CharField(max_length=500, blank=True)
    answer_status = models.PositiveSmallIntegerField("HTTP status")
    answer_content_type = models.CharField(max_length=100)
    answer = models.TextField()

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = "e-prescription message"
        constraints = [
            models.UniqueConstraint(
                fields=["intermediary", "message_id"], name="erx_message_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind or 'Message'} {self.message_id or self.pk}"


class EPrescription(models.Model):
    """What a NewRx (or FHIR MedicationRequest) prescribed, as sent, and whose
    it is. The pharmacist's record is ``prescription.record``."""

    class Status(models.TextChoices):
        UNMATCHED = "unmatched", "Waiting to be matched to a customer"
        MATCHED = "matched", "Matched to a customer"
        CANCELLED = "cancelled", "Cancelled by the prescriber"

    message = models.OneToOneField(
        ErxMessage, on_delete=models.PROTECT, related_name="eprescription"
    )
    prescription = models.OneToOneField(
        "checkout.Prescription", on_delete=models.PROTECT, related_name="eprescription"
    )
    prescriber_order_number = models.CharField(max_length=64, blank=True)
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.UNMATCHED
    )
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Who matched it by hand; None when it matched on arrival.
    matched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    matched_at = models.DateTimeField(null=True, blank=True)
    # The patient as the prescriber sent them (matching reads these).
    patient_first_name = models.CharField(max_length=100)
    patient_middle_name = models.CharField(max_length=100, blank=True)
    patient_last_name = models.CharField(max_length=100)
    patient_date_of_birth = models.DateField()
    patient_address = models.CharField(max_length=400)
    patient_phone = models.CharField(max_length=32, blank=True)
    patient_email = models.EmailField(blank=True)
    prescriber_address = models.CharField(max_length=400)
    drug_description = models.CharField(max_length=255)
    strength_text = models.CharField(max_length=64)
    quantity_text = models.CharField(max_length=64)
    substitution_allowed = models.BooleanField()
    cancel_message = models.OneToOneField(
        ErxMessage,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cancelled_eprescription",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "e-prescription"

    def __str__(self) -> str:
        return f"E-prescription {self.pk}"

    @property
    def patient_name(self) -> str:
        parts = (
            self.patient_first_name,
            self.patient_middle_name,
            self.patient_last_name,
        )
        return " ".join(p for p in parts if p)
