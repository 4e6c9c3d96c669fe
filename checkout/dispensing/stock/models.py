"""Lots of stock, fills, recalls and returns. Registered under the checkout
app label (checkout/models.py), like the rest of the dispensing room.

A lot is a batch of one pack (Oscar's child product) from one manufacturer
batch: its quantity is counted in packs, as the shop's stock count is.
"""

from django.conf import settings
from django.db import models


class Lot(models.Model):
    """A batch received: what the shop may fill from until it expires or is
    recalled."""

    product = models.ForeignKey(
        "catalogue.Product",
        on_delete=models.PROTECT,
        related_name="lots",
        limit_choices_to={"parent__isnull": False},
        verbose_name="pack",
    )
    ndc = models.CharField("NDC", max_length=13)
    lot_number = models.CharField(max_length=40)
    serial_number = models.CharField(max_length=40, blank=True)
    expires_on = models.DateField("expiry date")
    quantity_received = models.PositiveIntegerField("packs received")
    quantity_left = models.PositiveIntegerField("packs left")
    received_on = models.DateField()
    supplier = models.CharField(max_length=120)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Named by an imported recall notice (openFDA's recall_number): not filled
    # while flagged, until a pharmacist recalls it.
    recall_notice = models.CharField(max_length=60, blank=True)

    class Meta:
        ordering = ["expires_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["ndc", "lot_number"], name="unique_lot_per_ndc"
            )
        ]
        permissions = [("recall_lot", "Can recall a lot and see who got it")]

    def __str__(self) -> str:
        return f"Lot {self.lot_number} (NDC {self.ndc}, expires {self.expires_on})"


class LotRecall(models.Model):
    """A lot withdrawn: never filled again; its patients are told."""

    lot = models.OneToOneField(Lot, on_delete=models.PROTECT, related_name="recall")
    reason = models.TextField(max_length=2000)
    # The recall notice it came from (openFDA's recall_number), if imported.
    source_reference = models.CharField(max_length=60, blank=True)
    recalled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recalled_at = models.DateTimeField(auto_now_add=True)
    patients_emailed = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"Recall of {self.lot}"


class Fill(models.Model):
    """A pharmacist filled an approved order: who, when, from which lots."""

    order = models.OneToOneField(
        "order.Order", on_delete=models.PROTECT, related_name="fill"
    )
    filled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    filled_at = models.DateTimeField(auto_now_add=True)
    days_of_supply = models.PositiveIntegerField(null=True)

    def __str__(self) -> str:
        return f"Fill of order {self.order.number}"


class FillLine(models.Model):
    """One order line filled from one lot."""

    fill = models.ForeignKey(Fill, on_delete=models.CASCADE, related_name="lines")
    line = models.ForeignKey("order.Line", on_delete=models.PROTECT, related_name="+")
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="fill_lines")
    packs = models.PositiveIntegerField()
    tablets = models.PositiveIntegerField()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.tablets} tablets from {self.lot}"


class StockReturn(models.Model):
    """A filled package that came back: to its lot, or destroyed (and why)."""

    class Outcome(models.TextChoices):
        RESTOCKED = "restocked", "Returned to its lot"
        DESTROYED = "destroyed", "Destroyed"

    fill_line = models.ForeignKey(
        FillLine, on_delete=models.PROTECT, related_name="returns"
    )
    delivered = models.BooleanField(help_text="Did it reach the patient?")
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    packs = models.PositiveIntegerField()
    reason = models.CharField(max_length=255)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["fill_line"], name="one_return_per_line")
        ]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()}: {self.fill_line}"
