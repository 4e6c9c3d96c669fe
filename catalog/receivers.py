"""Cache invalidation for catalogue data. Signals, because staff change these
rows through the admin as well as through our services; the rule is only
"a save bumps the versions of what it shows"."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from oscar.apps.offer.models import ConditionalOffer
from oscar.apps.voucher.models import Voucher

from catalog import search
from catalog.models import (
    Drug,
    MonographSection,
    Option,
    Product,
    ProductAttributeValue,
    Strength,
)
from catalog.partner.models import StockRecord
from catalog.reviews.models import ProductReview
from pharmacy.core import cache


def _drug_product_id(product: Product) -> int:
    return product.parent_id or product.pk


@receiver(post_save, sender=StockRecord)
def stockrecord_saved(sender, instance, created=False, **kwargs):
    # Oscar sends this for every allocation too; most change nothing shown.
    if created or instance.shown_facts_changed():
        cache.product_changed(product_id=_drug_product_id(instance.product))
    instance.remember_shown_facts()


@receiver(post_delete, sender=StockRecord)
def stockrecord_deleted(sender, instance, **kwargs):
    cache.product_changed(product_id=_drug_product_id(instance.product))


@receiver([post_save, post_delete], sender=Product)
def product_changed(sender, instance, **kwargs):
    cache.product_changed(product_id=_drug_product_id(instance))


@receiver([post_save, post_delete], sender=ProductAttributeValue)
def pack_fact_changed(sender, instance, **kwargs):
    # A pack's strength and size: Oscar saves them after the product itself.
    cache.product_changed(product_id=_drug_product_id(instance.product))


@receiver([post_save, post_delete], sender=Strength)
@receiver([post_save, post_delete], sender=MonographSection)
def drug_part_changed(sender, instance, **kwargs):
    cache.product_changed(product_id=instance.drug.product_id)


@receiver([post_save, post_delete], sender=Drug)
def drug_changed(sender, instance, **kwargs):
    cache.product_changed(product_id=instance.product_id)


@receiver(post_save, sender=Drug)
def drug_saved_reindex(sender, instance, **kwargs):
    search.drugs_search_index(drug_ids=[instance.pk])


@receiver([post_save, post_delete], sender=ProductReview)
def review_changed(sender, instance, **kwargs):
    if instance.product_id:
        cache.reviews_changed(product_id=instance.product_id)


# Whether any exist at all decides whether baskets look them up.
cache.rows_watch(Option, ConditionalOffer, Voucher)
