import oscar.apps.shipping.apps as apps


class ShippingConfig(apps.ShippingConfig):
    # Forked for repository.py (our standard and express methods) and
    # countries.py (shipping countries through the cache).
    name = "checkout.shipping"

    def ready(self):
        super().ready()
        from checkout.shipping.countries import Country
        from pharmacy.core import cache

        cache.rows_watch(Country)
