"""Every save, delete and many-to-many change of catalogue data bumps the
catalogue version (pharmacy/core/cache.py), whoever makes it: our services,
the admin, Oscar, a shell. The catalogue's data is every model of the
catalogue and reviews apps, and the stock records; bulk writes bump through
their querysets (VersionedQuerySet). Signals, because staff change these rows
through the admin as well as through our services."""

from django.apps import apps
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from simple_history.models import HistoricalChanges

from catalog import search
from catalog.models import Drug
from catalog.partner.models import StockRecord
from pharmacy.core import cache

# Apps whose every model is catalogue data a page may show.
CATALOGUE_APPS = ("catalogue", "reviews")


def catalogue_models() -> list:
    """The models whose writes bump the catalogue version, besides the stock
    record (whose sales bump it only when they change what a page shows).
    Price and strength histories are records of changes, never shown to
    shoppers."""
    return [
        model
        for label in CATALOGUE_APPS
        for model in apps.get_app_config(label).get_models()
        if not issubclass(model, HistoricalChanges)
    ]


def receivers_connect() -> None:
    """Connect the version bumps (called once, from the catalogue's ready())."""
    cache.bumped_by_writes(*catalogue_models())


@receiver(post_save, sender=StockRecord)
def stockrecord_saved(sender, instance, created=False, **kwargs):
    # Oscar sends this for every allocation too; most change nothing shown.
    if created or instance.shown_facts_changed():
        cache.catalogue_version_bump()
    instance.remember_shown_facts()


@receiver(post_delete, sender=StockRecord)
def stockrecord_deleted(sender, instance, **kwargs):
    cache.catalogue_version_bump()


@receiver(post_save, sender=Drug)
def drug_saved_reindex(sender, instance, **kwargs):
    search.drugs_search_index(drug_ids=[instance.pk])
