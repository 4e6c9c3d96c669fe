"""Each pack's "How this price is made", from its recorded cost, the fee in
settings and the delivery charge the checkout charges."""

from django.conf import settings

from catalog.costs.breakdown import PriceBreakdown, price_breakdown
from catalog.costs.models import PackCost
from pharmacy.core.delivery import delivery_charge


def pack_breakdowns(*, variants) -> dict[int, PriceBreakdown]:
    """By pack (product id), for the packs that have a recorded cost; one
    query. ``variants`` are the price table's, so the pack price is the one the
    page shows and the basket charges."""
    costs = dict(
        PackCost.objects.filter(
            pack_id__in=[v.product_id for v in variants]
        ).values_list("pack_id", "acquisition_cost")
    )
    fee = settings.PHARMACY_FEE
    delivery = delivery_charge()
    return {
        v.product_id: price_breakdown(
            pack_price=v.pack_price,
            acquisition_cost=costs[v.product_id],
            pharmacy_fee=fee,
            delivery=delivery,
        )
        for v in variants
        if v.product_id in costs
    }
