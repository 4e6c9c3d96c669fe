"""The shop's stock count, derived from lots: the one place that writes a
pack's Oscar ``num_in_stock``.

A pack's count is the packs left in its lots that have not expired and are
not recalled or named in a recall notice; an order placed still holds its
packs as Oscar's allocation until it is filled. Called after every change to
a lot (receiving, filling, a recall, a return) and once a day
(``manage.py stock_counts_sync``), when lots expire untouched.
"""

import datetime

from django.db.models import Sum
from django.utils import timezone

from catalog.partner.models import StockRecord
from checkout.dispensing.stock.models import Lot


def fillable_lots(*, today: datetime.date | None = None):
    """Lots that may still be filled from: unexpired, not recalled, not empty."""
    today = today or timezone.localdate()
    return Lot.objects.filter(
        expires_on__gte=today,
        recall__isnull=True,
        recall_notice="",
        quantity_left__gt=0,
    )


def stock_counts_sync(
    *, product_ids: list[int] | None = None, today: datetime.date | None = None
) -> int:
    """Set each pack's stock count to the packs in its fillable lots (every
    pack when ``product_ids`` is None); returns how many counts changed."""
    records = StockRecord.objects.all()
    if product_ids is not None:
        records = records.filter(product_id__in=product_ids)
    packs_left = dict(
        fillable_lots(today=today)
        .values("product_id")
        .annotate(packs=Sum("quantity_left"))
        .values_list("product_id", "packs")
    )
    changed = 0
    for record in records.only("pk", "product_id", "num_in_stock"):
        count = packs_left.get(record.product_id, 0)
        if record.num_in_stock != count:
            # update(): the versioned queryset renews the cached shop pages.
            StockRecord.objects.filter(pk=record.pk).update(num_in_stock=count)
            changed += 1
    return changed
