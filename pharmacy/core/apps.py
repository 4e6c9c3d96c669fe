from django.apps import AppConfig


class CoreConfig(AppConfig):
    """What every part of the store uses: the email outbox, the versioned
    cache, absolute links, health checks. The label stays "pharmacy", which
    names the outbox's table and migrations."""

    name = "pharmacy.core"
    label = "pharmacy"
    verbose_name = "Pharmacy"

    def ready(self) -> None:
        from django.apps import apps
        from django.db.models.signals import post_migrate
        from oscar.apps.analytics import receivers
        from oscar.apps.basket.signals import basket_addition
        from oscar.apps.catalogue.signals import product_viewed
        from oscar.apps.order.signals import order_placed
        from oscar.apps.search.signals import user_search

        from pharmacy.core import log_context
        from pharmacy.core.sites import site_domain_after_migrate

        # A task's log lines carry the id of the request that queued it.
        log_context.celery_signals_connect()

        post_migrate.connect(
            site_domain_after_migrate,
            sender=apps.get_app_config("sites"),
            dispatch_uid="site_domain_sync",
        )
        # Oscar's analytics bumps counter rows on every product view, search,
        # basket addition and order: writes inside GETs that serialise requests
        # ("database is locked" on SQLite), and a create race that turns
        # concurrent add-to-baskets into 500s on PostgreSQL. We use none of them.
        product_viewed.disconnect(receivers.receive_product_view)
        user_search.disconnect(receivers.receive_product_search)
        basket_addition.disconnect(receivers.receive_basket_addition)
        order_placed.disconnect(receivers.receive_order_placed)
