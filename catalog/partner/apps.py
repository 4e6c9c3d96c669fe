import oscar.apps.partner.apps as apps
from django.db.models.signals import post_save


class PartnerConfig(apps.PartnerConfig):
    # Forked to replace partner.strategy (availability rules) and the
    # stock-record model; label `partner`.
    name = "catalog.partner"

    def ready(self):
        super().ready()
        from oscar.apps.partner import receivers

        from catalog.partner.models import StockRecord

        post_save.disconnect(receivers.update_stock_alerts, sender=StockRecord)
        post_save.connect(
            stock_alerts_update, sender=StockRecord, dispatch_uid="stock-alerts"
        )


def stock_alerts_update(sender, instance, created, **kwargs):
    """Oscar's low-stock alerts, less its look-up of an open alert on every
    sale: a record that was above its threshold when read, and still is, has
    no open alert (the last save that left it above closed any)."""
    from oscar.apps.partner import receivers

    seen = getattr(instance, "below_threshold_seen", None)
    if not created and seen is False and not instance.is_below_threshold:
        return
    receivers.update_stock_alerts(sender, instance, created, **kwargs)
    instance.below_threshold_seen = instance.is_below_threshold
