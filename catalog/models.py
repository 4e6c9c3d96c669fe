"""Drug data on top of Oscar's catalogue.

Oscar models the sellable packs: a parent Product per drug, a child Product per
strength x pack size (attributes ``strength_mg`` and ``tablets_per_pack``), and a
StockRecord per child holding the one and only pack price. The models below add
what a pharmacy needs and Oscar lacks: the drug's identity, its prescription
status, which strengths our market may sell, and the monograph.
"""

from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.db.models.signals import post_save
from django.dispatch import receiver
from oscar.apps.catalogue.abstract_models import AbstractProductAttributeValue
from simple_history.models import HistoricalRecords

from catalog import markets
from catalog.partner.models import StockRecord
from pharmacy.core.cache import VersionedQuerySet


class DosageForm(models.TextChoices):
    TABLET = "tablet", "Tablet"
    CAPSULE = "capsule", "Capsule"
    ORAL_SOLUTION = "oral_solution", "Oral solution"
    ORAL_SUSPENSION = "oral_suspension", "Oral suspension"
    GRANULES = "granules", "Oral granules"
    INJECTION = "injection", "Injection"


class Route(models.TextChoices):
    ORAL = "oral", "Oral"
    INTRATHECAL = "intrathecal", "Intrathecal"
    TOPICAL = "topical", "Topical"


class DrugStatus(models.TextChoices):
    """A drug is drafted, then published once complete (catalog/drug_rules.py);
    a published drug can go back to draft to take it off sale."""

    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"

    def can_become(self, new: "DrugStatus") -> bool:
        return new in _DRUG_TRANSITIONS[self]


_DRUG_TRANSITIONS = {
    DrugStatus.DRAFT: {DrugStatus.DRAFT, DrugStatus.PUBLISHED},
    DrugStatus.PUBLISHED: {DrugStatus.PUBLISHED, DrugStatus.DRAFT},
}


class Drug(models.Model):
    """A medicine as the pharmacy sells it, attached to Oscar's parent product."""

    product = models.OneToOneField(
        "catalogue.Product",
        on_delete=models.CASCADE,
        related_name="drug",
        limit_choices_to={"parent__isnull": True},
    )
    generic_name = models.CharField(max_length=120)
    brand_names = models.CharField(
        max_length=255, blank=True, help_text="Comma-separated, e.g. Lioresal"
    )
    dosage_form = models.CharField(max_length=32, choices=DosageForm.choices)
    route = models.CharField(max_length=32, choices=Route.choices)
    max_daily_dose_mg = models.DecimalField(
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Usual maximum daily dose; the pharmacist's queue shows days of "
        "supply at this dose.",
    )
    prescription_required = models.BooleanField(
        default=True,
        help_text="Prescription-only medicines are never dispatched or charged "
        "before a pharmacist has verified a prescription.",
    )
    search_terms = models.TextField(
        blank=True,
        help_text="Words shoppers may search for: what the drug treats and its "
        "class, e.g. spasticity, muscle relaxant, multiple sclerosis",
    )
    # Kept up to date by catalog/search.py (PostgreSQL only; NULL on SQLite).
    search_vector = SearchVectorField(null=True, editable=False)
    # Shoppers see a drug only once published; its product's is_public follows.
    status = models.CharField(
        max_length=16, choices=DrugStatus.choices, default=DrugStatus.PUBLISHED
    )
    # Set when first published and never cleared: from then on the clinical
    # facts are the pharmacist's, even if the drug goes back to draft.
    first_published_at = models.DateTimeField(null=True, blank=True, editable=False)

    # Bulk writes bump the catalogue version, as a save does.
    objects = VersionedQuerySet.as_manager()

    class Meta:
        ordering = ["generic_name"]
        constraints = [
            models.UniqueConstraint(
                Lower("generic_name"),
                "dosage_form",
                name="unique_drug_name_and_form",
                violation_error_message="There is already a drug with this generic "
                "name and dosage form: open it from the list of drugs instead.",
            )
        ]
        permissions = [
            (
                "change_clinical_facts",
                "Can change a published drug's prescription status, maximum "
                "daily dose and cautions",
            )
        ]

    def __str__(self) -> str:
        return self.generic_name

    @property
    def clinical_facts_locked(self) -> bool:
        """Whether only a pharmacist may change the clinical facts: once
        shoppers have seen the drug, they are clinical decisions."""
        published = self.status == DrugStatus.PUBLISHED
        return published or self.first_published_at is not None

    @property
    def brand_name_list(self) -> list[str]:
        return [b.strip() for b in self.brand_names.split(",") if b.strip()]


class Strength(models.Model):
    """A strength of a drug, and whether our market may sell it.

    Switching a strength off hides its packs and makes them unpurchasable without
    deleting anything. A strength not approved in the store's market (25 mg
    baclofen in the US) stays on the product page, marked as not sold here.
    """

    drug = models.ForeignKey(Drug, on_delete=models.CASCADE, related_name="strengths")
    mg = models.DecimalField(
        max_digits=7,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
        verbose_name="strength (mg)",
    )
    is_available = models.BooleanField(
        default=True,
        verbose_name="available in our market",
    )
    approved_markets = models.CharField(
        max_length=200,
        default=markets.default_markets,
        help_text="Country codes of the markets where this strength is approved, "
        "comma-separated, e.g. US,GB. In any other market it is shown as not sold "
        "there and cannot be bought.",
    )
    history = HistoricalRecords()

    # Bulk writes bump the catalogue version, as a save does.
    objects = VersionedQuerySet.as_manager()

    class Meta:
        ordering = ["drug", "mg"]
        constraints = [
            models.UniqueConstraint(fields=["drug", "mg"], name="unique_drug_strength")
        ]
        permissions = [
            ("switch_strength", "Can switch a strength on or off"),
            (
                "approve_strength_markets",
                "Can change the markets where a strength is approved",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.drug} {self.mg.normalize():f} mg"


class DrugCaution(models.Model):
    """A word that, found in a patient's current medicines or medical conditions,
    means the pharmacist must look twice: an interacting medicine or a condition
    that needs caution. Kept as data so a new drug brings its own list."""

    class Kind(models.TextChoices):
        INTERACTION = "interaction", "Interacting medicine"
        CONDITION = "condition", "Condition needing caution"

    drug = models.ForeignKey(Drug, on_delete=models.CASCADE, related_name="cautions")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    category = models.CharField(
        max_length=80, help_text="What the pharmacist is shown, e.g. Opioids"
    )
    term = models.CharField(
        max_length=80,
        help_text="Matched as a whole word, ignoring case, e.g. oxycodone",
    )
    advice = models.CharField(max_length=255, blank=True)

    # Bulk writes bump the catalogue version, as a save does.
    objects = VersionedQuerySet.as_manager()

    class Meta:
        ordering = ["drug", "kind", "category", "term"]
        constraints = [
            models.UniqueConstraint(
                fields=["drug", "kind", "term"], name="unique_drug_caution_term"
            )
        ]

    def __str__(self) -> str:
        return f"{self.drug}: {self.category} ({self.term})"


class ClinicalFactChange(models.Model):
    """One change to a drug's clinical facts after it was published: who,
    when, what it was and became, and why. Written only by
    catalog/clinical_facts.py."""

    drug = models.ForeignKey(
        Drug, on_delete=models.CASCADE, related_name="clinical_changes"
    )
    fact = models.CharField(max_length=80)
    old_value = models.CharField(max_length=255, blank=True)
    new_value = models.CharField(max_length=255, blank=True)
    reason = models.TextField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.drug}: {self.fact}"


class MonographSection(models.Model):
    drug = models.ForeignKey(Drug, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveSmallIntegerField(default=0)
    anchor = models.SlugField(max_length=60, help_text="Used in the page's #links")
    title = models.CharField(max_length=120)
    body = models.TextField(
        help_text="Plain text. Blank lines separate paragraphs; lines starting "
        "with '- ' form a bulleted list."
    )

    # Bulk writes bump the catalogue version, as a save does.
    objects = VersionedQuerySet.as_manager()

    class Meta:
        ordering = ["drug", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["drug", "anchor"], name="unique_monograph_anchor"
            )
        ]

    def __str__(self) -> str:
        return self.title


class ProductAttributeValue(AbstractProductAttributeValue):
    """Oscar's attribute value (a pack's strength and size are two), whose bulk
    writes bump the catalogue version, as a save does."""

    objects = VersionedQuerySet.as_manager()


class PackPrice(StockRecord):
    """The staff's price list: one row per sellable pack, over Oscar's StockRecord,
    which holds the price the basket charges."""

    class Meta:
        proxy = True
        verbose_name = "pack price"
        verbose_name_plural = "price list"


@receiver(post_save, sender=PackPrice, dispatch_uid="pack_price_saved_as_stockrecord")
def _pack_price_saved(sender, **kwargs):
    # A proxy's save signal names the proxy; price history (simple_history) and
    # Oscar listen for StockRecord, so a price list edit must reach them too.
    kwargs.pop("signal", None)
    post_save.send(sender=StockRecord, **kwargs)


from oscar.apps.catalogue.models import *  # noqa: E402,F403

# What each pack costs the pharmacy (price transparency: catalog/costs/).
from catalog.costs.models import PackCost  # noqa: E402,F401
