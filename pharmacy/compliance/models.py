"""The pharmacy's legal footprint as data staff edit in the admin: the states it
is licensed in, and the policy pages every footer links to."""

from django.db import models
from localflavor.us.models import USStateField

from pharmacy.core.cache import VersionedQuerySet


class StateLicence(models.Model):
    """A state board of pharmacy licence. Delivery is offered only to states
    with an active one (see compliance/licensing.py)."""

    state = USStateField(unique=True)
    licence_number = models.CharField(max_length=64)
    is_active = models.BooleanField(
        default=True,
        help_text="Untick while a licence is suspended or lapsed: checkout then "
        "refuses delivery to the state.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    # Bulk writes bump the catalogue version too (licensing.py reads through it).
    objects = VersionedQuerySet.as_manager()

    class Meta:
        ordering = ["state"]
        verbose_name = "state licence"

    def __str__(self) -> str:
        return f"{self.get_state_display()}: {self.licence_number}"


class PolicyKind(models.TextChoices):
    """The policy pages; each has a fixed address the footer links to."""

    PRIVACY_NOTICE = "notice-of-privacy-practices", "Notice of Privacy Practices"
    PRIVACY_POLICY = "privacy-policy", "Privacy policy"
    TERMS_OF_SALE = "terms-of-sale", "Terms of sale"
    RETURNS = "returns", "Returns policy"


class PolicyPage(models.Model):
    kind = models.CharField(
        max_length=40, choices=PolicyKind.choices, unique=True, editable=False
    )
    title = models.CharField(max_length=120)
    body = models.TextField(
        help_text="Plain text. Blank lines separate paragraphs; lines starting "
        "with '- ' form a bulleted list."
    )
    is_template = models.BooleanField(
        default=True,
        verbose_name="still a template",
        help_text="Untick once the pharmacy's counsel has reviewed this text; "
        "until then the page says it is a template.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind"]
        verbose_name = "policy page"

    def __str__(self) -> str:
        return self.title
