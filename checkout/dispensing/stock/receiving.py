"""Receiving a lot into stock: typed, or read from the pack's GS1 code."""

import datetime

from django.db import transaction

from catalog.models import Product
from checkout.dispensing.stock import counts
from checkout.dispensing.stock.models import Lot


def lot_receive(*, lot: Lot, actor) -> Lot:
    """Record a new lot (built from the receiving form) and add its packs to
    the shop's stock count. The caller checks the actor may receive stock."""
    with transaction.atomic():
        lot.received_by = actor
        lot.quantity_left = lot.quantity_received
        lot.save()
        counts.stock_counts_sync(product_ids=[lot.product_id])
    return lot


def pack_for_ndc(*, ndc: str):
    """The pack an NDC was last received as, to fill in for a scan."""
    lot = Lot.objects.filter(ndc=ndc).order_by("-pk").first()
    return lot.product if lot else None


# The demo shop's lots: two of each pack, the first expiring soon, so the
# fill page shows a refusal with its dates. A made-up labeler code.
DEMO_LABELER = "99207"
DEMO_SUPPLIER = "Demo Wholesale (demo data)"


def demo_lots_ensure(*, actor, today) -> int:
    """Receive the demo lots each pack lacks; returns how many were added."""
    added = 0
    packs = Product.objects.filter(parent__isnull=False, stockrecords__isnull=False)
    for n, pack in enumerate(packs.order_by("pk").distinct(), start=1):
        ndc = f"{DEMO_LABELER}{n:03d}01"
        for suffix, days, quantity in (("S", 45, 5), ("L", 700, 40)):
            lot = Lot(
                product=pack,
                ndc=ndc,
                lot_number=f"D{n:03d}{suffix}",
                expires_on=today + datetime.timedelta(days=days),
                quantity_received=quantity,
                received_on=today,
                supplier=DEMO_SUPPLIER,
            )
            if not Lot.objects.filter(ndc=ndc, lot_number=lot.lot_number).exists():
                lot_receive(lot=lot, actor=actor)
                added += 1
    return added
