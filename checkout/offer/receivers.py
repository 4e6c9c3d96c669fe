from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from oscar.apps.offer.models import ConditionalOffer

from catalog import cache as catalog_cache
from checkout.offer.applicator import OFFERS_SCOPE


@receiver(post_save, sender=ConditionalOffer)
@receiver(post_delete, sender=ConditionalOffer)
def offers_changed(**kwargs) -> None:
    catalog_cache.bump(OFFERS_SCOPE)
