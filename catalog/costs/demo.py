"""Demo acquisition costs (fixtures/pack_costs.json), marked as demo figures.
Adds a cost only to a pack that has none: a figure staff recorded is never
overwritten, and a second run changes nothing."""

import json
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from catalog.costs.models import PackCost
from catalog.models import Product
from catalog.packs import variant_facts
from catalog.pricing import to_cents


@transaction.atomic
def demo_costs_load(*, path: Path) -> int:
    """Returns how many pack costs were added."""
    spec = json.loads(path.read_text())
    added = 0
    for upc, rates in spec["per_tablet"].items():
        packs = Product.objects.filter(parent__upc=upc, pack_cost__isnull=True)
        for pack in packs:
            facts = variant_facts(product=pack)
            if facts is None:
                continue
            strength_mg, tablets = facts
            rate = rates.get(_mg_key(strength_mg))
            if rate is None:
                continue
            PackCost.objects.create(
                pack=pack,
                acquisition_cost=to_cents(Decimal(rate) * tablets),
                source=spec["source"],
                is_demo=True,
            )
            added += 1
    return added


def _mg_key(strength_mg: Decimal) -> str:
    return format(strength_mg.normalize(), "f")
