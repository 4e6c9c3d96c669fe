from oscar.apps.offer import applicator
from oscar.apps.offer.models import ConditionalOffer

from pharmacy.core import cache as catalog_cache


class Applicator(applicator.Applicator):
    def get_offers(self, basket, user=None, request=None):
        # With no offer rows there is no site offer and no usable voucher.
        if not catalog_cache.rows_exist(model=ConditionalOffer):
            return []
        return super().get_offers(basket, user, request)
