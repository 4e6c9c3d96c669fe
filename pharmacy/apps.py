from django.apps import AppConfig


class PharmacyConfig(AppConfig):
    name = "pharmacy"
    verbose_name = "Pharmacy"

    def ready(self) -> None:
        from oscar.apps.analytics import receivers
        from oscar.apps.catalogue.signals import product_viewed
        from oscar.apps.search.signals import user_search

        # Oscar's analytics bumps a counter row on every product view and search:
        # a write inside a GET, which serialises requests and, on SQLite, fails
        # some of them with "database is locked". We don't use those counters.
        product_viewed.disconnect(receivers.receive_product_view)
        user_search.disconnect(receivers.receive_product_search)
