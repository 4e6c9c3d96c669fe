"""When a drug is complete enough to publish. One rule, asked by the admin
before it publishes and shown on the drug's page as a list of what is missing."""

from catalog import selectors
from catalog.models import Drug, ProductImage, Strength
from catalog.partner import strategy as purchase
from catalog.partner.models import StockRecord


def drug_missing_items(*, drug: Drug) -> list[str]:
    """What a drug still needs before shoppers may see it, in words for staff;
    empty when it can be published."""
    missing = []
    if not drug.generic_name.strip():
        missing.append("a generic name")
    if not drug.dosage_form:
        missing.append("a dosage form")
    if not drug.route:
        missing.append("a route")
    if drug.max_daily_dose_mg is None:
        missing.append("a maximum daily dose")
    on_sale = {
        selectors.canonical_mg(mg)
        for mg in Strength.objects.filter(drug=drug, is_available=True).values_list(
            "mg", flat=True
        )
    }
    if not on_sale:
        missing.append("a strength on sale in our market")
    records = StockRecord.objects.filter(product__parent=drug.product).select_related(
        "product"
    )
    sellable = set()
    for record in records:
        facts = selectors.variant_facts(product=record.product)
        if facts is None:
            continue
        # Asked as if published: would shoppers be able to buy this pack?
        status = purchase.pack_status(
            pack_public=record.product.is_public,
            drug_public=True,
            strength_on_sale=facts[0] in on_sale,
            price=record.price,
            net_stock=purchase.net_stock(
                num_in_stock=record.num_in_stock, num_allocated=record.num_allocated
            ),
        )
        if status.can_buy:
            sellable.add(facts[0])
    if on_sale and not sellable:
        missing.append("a pack with a price and stock")
    if not drug.sections.exists():
        missing.append("a monograph section")
    if not ProductImage.objects.filter(product=drug.product).exists():
        missing.append("an image (upload one or draw the pack image)")
    return missing
