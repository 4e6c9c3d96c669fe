from oscar.apps.offer import applicator

from catalog import cache as catalog_cache

OFFERS_SCOPE = "offers"


def offers_exist() -> bool:
    """Whether any offer or voucher is set up. Shared through the cache, so a
    shop without promotions pays no offer queries on each request."""
    from oscar.apps.offer.models import ConditionalOffer

    return catalog_cache.cached(
        name="offers-exist",
        scopes=[OFFERS_SCOPE],
        compute=lambda: ConditionalOffer.objects.exists(),
    )


class Applicator(applicator.Applicator):
    def get_offers(self, basket, user=None, request=None):
        # With no offer rows there is no site offer and no usable voucher.
        if not offers_exist():
            return []
        return super().get_offers(basket, user, request)
