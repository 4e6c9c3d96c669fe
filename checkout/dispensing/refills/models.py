"""Prescriptions that last: refill reminders the customer opted into, the
reminders sent (once each), and prescriptions transferred from other pharmacies.
The prescription record itself is checkout.PrescriptionRecord."""

from django.conf import settings
from django.db import models


class ReminderSubscription(models.Model):
    """A customer asked to be reminded before their supply of a drug runs out."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    drug = models.ForeignKey("catalogue.Drug", on_delete=models.CASCADE)
    is_active = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "drug"], name="unique_reminder_subscription"
            )
        ]

    def __str__(self) -> str:
        return f"Refill reminders for {self.user} ({self.drug})"


class SentReminder(models.Model):
    """One reminder per fill: the unique constraint makes the job idempotent."""

    record = models.ForeignKey(
        "checkout.PrescriptionRecord", on_delete=models.CASCADE, related_name="+"
    )
    fill_order = models.ForeignKey(
        "order.Order", on_delete=models.CASCADE, related_name="+"
    )
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["record", "fill_order"], name="one_reminder_per_fill"
            )
        ]

    def __str__(self) -> str:
        return f"Reminder for fill {self.fill_order_id}"


class TransferRequest(models.Model):
    """ "Transfer a prescription to us": the customer's request, and the
    pharmacist's decision. Completing it creates the prescription record."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for the pharmacist"
        COMPLETED = "completed", "Transferred"
        DECLINED = "declined", "Declined"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    drug = models.ForeignKey("catalogue.Drug", on_delete=models.PROTECT)
    strength = models.ForeignKey("catalogue.Strength", on_delete=models.PROTECT)
    # Who the medicine is for, as on the prescription: health data, shown to
    # pharmacists only. Blank on requests made before it was asked.
    patient_name = models.CharField(
        "patient's full legal name", max_length=200, blank=True
    )
    patient_date_of_birth = models.DateField(
        "patient's date of birth", null=True, blank=True
    )
    # Where we would deliver: a state we hold a licence in, as for an order.
    delivery_state = models.CharField("state for delivery", max_length=2, blank=True)
    pharmacy_name = models.CharField("other pharmacy's name", max_length=200)
    pharmacy_phone = models.CharField("other pharmacy's phone", max_length=32)
    prescription_number = models.CharField(
        "prescription number at that pharmacy", max_length=64
    )
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.PENDING
    )
    decline_reason = models.TextField(blank=True)
    prescription = models.OneToOneField(
        "checkout.Prescription",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="transfer",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = "prescription transfer request"

    def __str__(self) -> str:
        return f"Transfer request {self.pk}"
