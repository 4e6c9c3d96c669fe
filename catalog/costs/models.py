"""What the pharmacy pays for each pack (its acquisition cost), with history:
who recorded which figure, when. Imported by catalog/models.py so it belongs
to the catalogue app."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords


class PackCost(models.Model):
    """The acquisition cost of one pack, as the wholesaler's invoice gives it.

    One row per pack (a child product, which is one NDC in our catalogue);
    changing the figure keeps the old one in the history, as prices do.
    """

    pack = models.OneToOneField(
        "catalogue.Product",
        on_delete=models.CASCADE,
        related_name="pack_cost",
        limit_choices_to={"parent__isnull": False},
    )
    acquisition_cost = models.DecimalField(
        "what we pay",
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
        help_text="What the pharmacy pays for one pack, in dollars and cents.",
    )
    source = models.CharField(
        max_length=200,
        blank=True,
        help_text="Where the figure comes from, e.g. the wholesaler and invoice.",
    )
    is_demo = models.BooleanField(
        "demo figure",
        default=False,
        help_text="A made-up figure from the demo data, not a real invoice.",
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    changed_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "pack cost"
        verbose_name_plural = "pack costs"
        ordering = ("pack__parent__title", "pack__title")

    def __str__(self) -> str:
        return f"{self.pack.title}: ${self.acquisition_cost}"
