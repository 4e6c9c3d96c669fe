import oscar.apps.offer.apps as apps


class OfferConfig(apps.OfferConfig):
    # Forked for applicator.py: whether the shop has any offer at all is read
    # through the catalogue cache, kept exact by the version bumps below.
    name = "checkout.offer"

    def ready(self) -> None:
        super().ready()
        from django.apps import apps as registry

        from pharmacy.core import cache

        cache.bumped_by_writes(
            *self.get_models(), *registry.get_app_config("voucher").get_models()
        )
