"""The forms of a draft's "Packs and image" page, read together: each pack's
price and stock, new packs, and the image."""

from catalog import selectors
from catalog.drug_forms import DraftImageForm, ExistingPackForm, NewPackFormSet
from catalog.drug_services import PackChange
from catalog.partner.models import StockRecord


class DraftPacksPage:
    def __init__(self, request, drug):
        data = request.POST if request.method == "POST" else None
        files = request.FILES if request.method == "POST" else None
        records = StockRecord.objects.filter(
            product__parent=drug.product
        ).select_related("product")
        self.rows = []
        for record in records:
            facts = selectors.variant_facts(product=record.product)
            form = ExistingPackForm(
                data,
                prefix=f"pack-{record.pk}",
                initial={"price": record.price, "stock": record.num_in_stock},
            )
            self.rows.append((record, facts, form))
        self.rows.sort(key=lambda row: row[1] or (0, 0))
        self.new_packs = NewPackFormSet(data, prefix="packs")
        self.image = DraftImageForm(data, files)
        self.has_image = drug.product.images.exists()

    def is_valid(self) -> bool:
        forms = [form for _, _, form in self.rows] + [self.new_packs, self.image]
        valid = all(form.is_valid() for form in forms)
        if not valid:
            return False
        existing = {facts for _, facts, _ in self.rows if facts}
        for form in self.new_packs.forms:
            if not form.has_changed():
                continue
            key = (
                selectors.canonical_mg(form.cleaned_data["mg"]),
                form.cleaned_data["tablets"],
            )
            if key in existing:
                form.add_error(
                    None,
                    "This drug has that pack already: change its price and stock "
                    "above instead.",
                )
                valid = False
        return valid

    def changes(self) -> dict:
        return {
            "pack_changes": [
                PackChange(
                    record_id=record.pk,
                    price=form.cleaned_data["price"],
                    stock=form.cleaned_data["stock"],
                )
                for record, _, form in self.rows
            ],
            "new_packs": self.new_packs.specs(),
            "image": self.image.cleaned_data["image"],
            "draw_image": self.image.cleaned_data["draw_image"],
        }
