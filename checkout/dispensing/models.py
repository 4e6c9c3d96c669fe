"""What the pharmacy records about a prescription order: who the medicine is
for, the prescription and the pharmacist's record of it, clinical flags
acknowledged, counselling, and who saw whose health data. Registered under the
checkout app's label (checkout/models.py), so tables keep their names."""

import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from oscar.apps.order.models import Order

from checkout.dispensing.storage import prescription_storage


def get_private_storage():
    # A callable, so migrations record this function, not one machine's path.
    return prescription_storage()


def prescription_upload_to(instance, filename: str) -> str:
    # A random name: the customer's file name may itself be health data.
    return f"prescriptions/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


def _order_label(order) -> str:
    return order.number if order else "(in checkout)"


class PatientDetails(models.Model):
    """Who the medicine is for. Health data: pharmacists only."""

    basket = models.OneToOneField(
        "basket.Basket", on_delete=models.SET_NULL, null=True, related_name="patient"
    )
    order = models.OneToOneField(
        "order.Order", on_delete=models.CASCADE, null=True, related_name="patient"
    )
    full_name = models.CharField("full legal name", max_length=200)
    date_of_birth = models.DateField()
    allergies = models.TextField(blank=True, max_length=2000)
    medical_conditions = models.TextField(blank=True, max_length=2000)
    current_medicines = models.TextField(blank=True, max_length=2000)
    # "Would you like to speak to our pharmacist about this medicine?"
    counselling_wanted = models.BooleanField(null=True)
    counselling_phone = models.CharField(max_length=32, blank=True)
    counselling_best_time = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # The last pharmacist who edited the profile (every edit is an OrderEvent).
    profile_updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    profile_updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "patient details"

    def __str__(self) -> str:
        return (
            f"Patient for order {self.order.number if self.order else '(in checkout)'}"
        )


class FileState(models.TextChoices):
    """Where an uploaded file is in its checking (checkout/dispensing/uploads.py)."""

    CHECKING = "checking", "Being checked"
    READY = "ready", "Ready"
    UNREADABLE = "unreadable", "Could not be read"


class Prescription(models.Model):
    """The prescription given at checkout, and the pharmacist's decision on it."""

    class Source(models.TextChoices):
        UPLOAD = "upload", "Uploaded prescription"
        PRESCRIBER = "prescriber", "Prescriber's details"
        # A repeat supply on a prescription we hold (refill_of).
        REFILL = "refill", "Refill of a prescription on file"
        # Transferred from another pharmacy (refills.TransferRequest).
        TRANSFER = "transfer", "Transferred from another pharmacy"
        # Sent by the prescriber's system (checkout/dispensing/eprescribing/).
        ERX = "erx", "Electronic prescription from the prescriber"

    class Decision(models.TextChoices):
        PENDING = "pending", "Awaiting review"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"

    basket = models.OneToOneField(
        "basket.Basket",
        on_delete=models.SET_NULL,
        null=True,
        related_name="prescription",
    )
    order = models.OneToOneField(
        "order.Order", on_delete=models.CASCADE, null=True, related_name="prescription"
    )
    source = models.CharField(max_length=16, choices=Source.choices)
    file = models.FileField(
        storage=get_private_storage, upload_to=prescription_upload_to, blank=True
    )
    file_content_type = models.CharField(max_length=64, blank=True)
    file_state = models.CharField(
        max_length=16,
        choices=FileState.choices,
        default=FileState.READY,
        help_text="An upload is held unseen until the task queue has made it safe.",
    )
    prescriber_name = models.CharField(max_length=200, blank=True)
    prescriber_phone = models.CharField(max_length=32, blank=True)
    prescriber_npi = models.CharField("prescriber NPI", max_length=10, blank=True)
    decision = models.CharField(
        max_length=16, choices=Decision.choices, default=Decision.PENDING
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True)
    rejection_reason = models.TextField(blank=True)
    refill_of = models.ForeignKey(
        "checkout.PrescriptionRecord",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="refills",
        help_text="For a refill: the prescription on file it is filled from.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        permissions = [
            (
                "review_prescription",
                "Can approve or reject orders and see prescriptions",
            ),
            ("dispatch_order", "Can dispatch approved orders"),
        ]

    def __str__(self) -> str:
        return f"Prescription for order {_order_label(self.order)}"


class PrescriptionRecord(models.Model):
    """The pharmacist's transcription of the prescription, in the fields the
    rules need (checkout/prescription_records.py). It may be saved while
    incomplete; approval is refused until it is complete and matches the order.

    ``quantity_left`` is in tablets, across the first fill and every refill;
    each approval takes the tablets it supplies from it.
    """

    prescription = models.OneToOneField(
        Prescription, on_delete=models.CASCADE, related_name="record"
    )
    prescriber_name = models.CharField(max_length=200, blank=True)
    prescriber_npi = models.CharField("prescriber NPI", max_length=10, blank=True)
    date_written = models.DateField(null=True, blank=True)
    drug = models.ForeignKey(
        "catalogue.Drug", on_delete=models.PROTECT, null=True, blank=True
    )
    strength = models.ForeignKey(
        "catalogue.Strength", on_delete=models.PROTECT, null=True, blank=True
    )
    quantity_prescribed = models.PositiveIntegerField(
        "quantity prescribed (tablets)", null=True, blank=True
    )
    directions = models.CharField(
        max_length=255,
        blank=True,
        help_text='As written, e.g. "10 mg three times a day"',
    )
    dose_mg = models.DecimalField(
        "dose (mg each time)", max_digits=7, decimal_places=2, null=True, blank=True
    )
    doses_per_day = models.PositiveSmallIntegerField(
        "times a day", null=True, blank=True
    )
    refills_authorised = models.PositiveSmallIntegerField(null=True, blank=True)
    # Printed on the label when the prescriber wrote it ("for muscle spasm").
    purpose = models.CharField(
        "purpose (if the prescriber gave it)", max_length=120, blank=True
    )
    quantity_left = models.PositiveIntegerField(
        "quantity left (tablets)", null=True, blank=True
    )
    # None: filled in from the prescriber's e-prescription, not by a person.
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now_add=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    # The prescriber cancelled it (an e-prescription's CancelRx): no refill,
    # and no approval, from it any more.
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.CharField(max_length=255, blank=True)

    def __str__(self) -> str:
        return f"Prescription record for order {_order_label(self.prescription.order)}"


class FlagAcknowledgement(models.Model):
    """A pharmacist has seen a clinical flag on an order and says why it may
    proceed. One per flag per order; approval waits for all of them."""

    order = models.ForeignKey(
        "order.Order", on_delete=models.CASCADE, related_name="flag_acknowledgements"
    )
    code = models.CharField(max_length=120)
    title = models.CharField(max_length=255)
    note = models.TextField(max_length=2000)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    acknowledged_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["order", "code"], name="unique_flag_acknowledgement"
            )
        ]

    def __str__(self) -> str:
        return f"{self.order.number}: {self.title}"


class CounsellingRecord(models.Model):
    """What the pharmacist did about counselling; dispatch waits for one."""

    class Outcome(models.TextChoices):
        GIVEN = "given", "Counselling given"
        DECLINED = "declined", "Counselling offered and declined"

    order = models.ForeignKey(
        "order.Order", on_delete=models.CASCADE, related_name="counselling_records"
    )
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    note = models.TextField(blank=True, max_length=2000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["recorded_at", "id"]

    def __str__(self) -> str:
        return f"{self.order.number}: {self.get_outcome_display()}"


class QueueOrder(Order):
    """Oscar's order as the pharmacist's queue lists it (admin only)."""

    class Meta:
        proxy = True
        verbose_name = "order to review"
        verbose_name_plural = "pharmacist's queue"


class AccessSubject(models.TextChoices):
    """What health data a page or file showed."""

    ORDER_REVIEW = "order_review", "Order review page"
    PATIENT_PROFILE = "patient_profile", "Patient profile"
    PRESCRIPTION_FILE = "prescription_file", "Prescription file"
    PRESCRIPTION_PAGE = "prescription_page", "Prescription page image"
    PRESCRIPTION_RECORD = "prescription_record", "Prescription record"
    ERX_MESSAGE = "erx_message", "E-prescription message"
    EPRESCRIPTION = "eprescription", "E-prescription"
    QUEUE = "queue", "Pharmacist's queue"
    ORDER = "order", "Order"
    ORDER_HISTORY = "order_history", "Order history"
    TRANSFER_REQUEST = "transfer_request", "Prescription transfer request"
    DISPENSING_LABEL = "dispensing_label", "Dispensing label and paperwork"
    LOT_RECIPIENTS = "lot_recipients", "Who got a lot"


class AccessAction(models.TextChoices):
    VIEWED = "viewed", "Viewed"
    LISTED = "listed", "Listed"  # a list page: its patients are named
    CHANGED = "changed", "Changed"
    DENIED = "denied", "Denied"


class AppendOnlyQuerySet(models.QuerySet):
    """Rows are written once: no bulk update, no bulk delete."""

    def update(self, **kwargs):
        raise PermissionError("Health data access records cannot be changed.")

    def delete(self):
        raise PermissionError("Health data access records cannot be deleted.")


class AppendOnlyModel(models.Model):
    """A row written once: never saved again, never deleted."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("Health data access records cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Health data access records cannot be deleted.")


class HealthDataAccess(AppendOnlyModel):
    """Who looked at (or changed, or was refused) whose health data, and when.

    Append-only: written by access_log.record_access, never edited or
    deleted through the ORM or the admin. It names the order and, in
    AccessedPatient rows, each patient the page showed (name and date of
    birth, so the superintendent can ask "who saw this patient?"); never
    anything clinical.
    """

    # PROTECT: a staff account that has seen health data is deactivated, not
    # deleted, so the trail keeps pointing at it.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    username = models.CharField(max_length=150)
    # The number is copied so the record outlives the order row.
    order = models.ForeignKey(
        "order.Order",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    order_number = models.CharField(max_length=128, blank=True, db_index=True)
    subject = models.CharField(max_length=32, choices=AccessSubject.choices)
    action = models.CharField(max_length=16, choices=AccessAction.choices)
    detail = models.CharField(max_length=200, blank=True)
    path = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "health data access record"
        verbose_name_plural = "health data access records"

    def __str__(self) -> str:
        return (
            f"{self.username} {self.get_action_display().lower()} "
            f"{self.get_subject_display().lower()} "
            f"(order {self.order_number or '-'})"
        )


class StoredFile(models.Model):
    """One file of the "prescriptions" storage (checkout/dispensing/storage.py):
    an uploaded prescription or a page drawn from one. Kept in the database
    with the rest of the health data, so one backup holds both and every app
    server reads the same file."""

    name = models.CharField(max_length=255, unique=True)
    content = models.BinaryField()
    size = models.PositiveIntegerField()
    content_type = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        # The stored name is random (prescription_upload_to); never the customer's.
        return self.name


class AccessedPatient(AppendOnlyModel):
    """A patient an access record's page showed, as it showed them: one row
    for a page about one order, one per row for a list. Copied, not linked,
    so the answer to "who saw this patient?" survives the order and any later
    edit of the patient's details. Append-only, like its record."""

    access = models.ForeignKey(
        HealthDataAccess, on_delete=models.PROTECT, related_name="patients"
    )
    full_name = models.CharField(max_length=200, db_index=True)
    date_of_birth = models.DateField(null=True, blank=True, db_index=True)
    order_number = models.CharField(max_length=128, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = "patient shown"
        verbose_name_plural = "patients shown"

    def __str__(self) -> str:
        born = f", born {self.date_of_birth:%Y-%m-%d}" if self.date_of_birth else ""
        return f"{self.full_name}{born}"
