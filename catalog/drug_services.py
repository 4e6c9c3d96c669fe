"""Writes that add a drug from the admin: the Oscar parent and child products,
stock records, strengths, monograph and image in one transaction, and the move
from draft to published."""

import io
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.core.files.base import File
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from catalog.drug_rules import drug_missing_items
from catalog.models import (
    Drug,
    DrugStatus,
    MonographSection,
    Product,
    ProductClass,
    ProductImage,
    Strength,
)
from catalog.partner.models import Partner, StockRecord
from catalog.selectors import STRENGTH_ATTR, TABLETS_ATTR, canonical_mg
from catalog.services import (
    pack_image_png,
    product_class_ensure_pack_attributes,
    variant_title,
)
from pharmacy.staff.roles import Perm, may

PRODUCT_CLASS = ("prescription-tablets", "Prescription tablets")
PARTNER = "Dispensary"
CURRENCY = "USD"
IMAGE_ACCENT = "#2f6f8f"


@dataclass(frozen=True)
class PackSpec:
    mg: Decimal
    tablets: int
    price: Decimal
    stock: int


@dataclass(frozen=True)
class SectionSpec:
    title: str
    body: str


class DrugIncomplete(Exception):
    def __init__(self, missing: list[str]):
        super().__init__("; ".join(missing))
        self.missing = missing


def _unique(model, field: str, base: str) -> str:
    value, n = base, 1
    while model.objects.filter(**{field: value}).exists():
        n += 1
        value = f"{base}-{n}"
    return value


@transaction.atomic
def drug_create(
    *,
    generic_name: str,
    brand_names: str,
    dosage_form: str,
    route: str,
    prescription_required: bool,
    max_daily_dose_mg: Decimal | None,
    description: str,
    packs: list[PackSpec],
    sections: list[SectionSpec],
    image: File | None = None,
    draw_image: bool = False,
    search_terms: str = "",
) -> Drug:
    """A new drug, saved as a draft (hidden from shoppers) with its packs."""
    pclass, _ = ProductClass.objects.get_or_create(
        slug=PRODUCT_CLASS[0], defaults={"name": PRODUCT_CLASS[1], "track_stock": True}
    )
    product_class_ensure_pack_attributes(product_class=pclass)
    title = generic_name.strip().capitalize()
    slug = _unique(Product, "slug", slugify(title))
    parent = Product.objects.create(
        structure=Product.PARENT,
        title=title,
        slug=slug,
        upc=_unique(Product, "upc", slug.upper()),
        description=description,
        product_class=pclass,
        is_public=False,
    )
    drug = Drug.objects.create(
        product=parent,
        generic_name=generic_name.strip().lower(),
        brand_names=brand_names,
        search_terms=search_terms,
        dosage_form=dosage_form,
        route=route,
        prescription_required=prescription_required,
        max_daily_dose_mg=max_daily_dose_mg,
        status=DrugStatus.DRAFT,
    )
    drug_packs_add(drug=drug, packs=packs)
    MonographSection.objects.bulk_create(
        MonographSection(
            drug=drug,
            position=i,
            anchor=_section_anchor(s.title, i),
            title=s.title,
            body=s.body,
        )
        for i, s in enumerate(sections, start=1)
    )
    _image_add(product=parent, image=image, draw_image=draw_image)
    return drug


def _image_add(*, product: Product, image: File | None, draw_image: bool) -> None:
    """The uploaded image, or else (if asked) a drawn one, as the product's
    first image."""
    title = product.title
    if image is not None:
        ProductImage.objects.create(
            product=product, original=image, caption=f"{title} pack", display_order=0
        )
    elif draw_image:
        ProductImage.objects.create(
            product=product,
            original=File(_png_file(title), name=f"{product.slug}-pack.png"),
            caption=f"{title} tablets pack",
            display_order=0,
        )


def _png_file(title: str) -> io.BytesIO:
    return io.BytesIO(pack_image_png(title=title, accent=IMAGE_ACCENT))


def _section_anchor(title: str, position: int) -> str:
    return (slugify(title) or "section")[:50] + f"-{position}"


@transaction.atomic
def drug_packs_add(*, drug: Drug, packs: list[PackSpec]) -> None:
    """Add packs (Oscar child products with their stock records) and any new
    strengths they name. A pack the drug already has is left alone."""
    parent = drug.product
    partner, _ = Partner.objects.get_or_create(name=PARTNER)
    for spec in packs:
        mg = canonical_mg(spec.mg)
        Strength.objects.get_or_create(drug=drug, mg=mg)
        upc = f"{parent.upc}-{mg}MG-{spec.tablets}"
        if Product.objects.filter(upc=upc).exists():
            continue
        child = Product(
            structure=Product.CHILD,
            parent=parent,
            upc=upc,
            title=variant_title(drug_title=parent.title, mg=mg, tablets=spec.tablets),
        )
        child.attr.initialize()
        setattr(child.attr, STRENGTH_ATTR, float(mg))
        setattr(child.attr, TABLETS_ATTR, spec.tablets)
        child.save()
        StockRecord.objects.create(
            product=child,
            partner=partner,
            partner_sku=upc,
            price=spec.price,
            price_currency=CURRENCY,
            num_in_stock=spec.stock,
        )


@transaction.atomic
def drug_status_set(*, drug: Drug, status: DrugStatus) -> None:
    """Publish or withdraw a drug. Publishing an incomplete drug raises
    DrugIncomplete naming what is missing; shoppers see only published drugs."""
    current = DrugStatus(drug.status)
    if not current.can_become(status):
        raise ValueError(f"A {current.label} drug cannot become {status.label}")
    if status == DrugStatus.PUBLISHED:
        missing = drug_missing_items(drug=drug)
        if missing:
            raise DrugIncomplete(missing)
    drug.status = status
    # Published now or until now: shoppers have seen it (catalog/clinical_facts.py).
    if DrugStatus.PUBLISHED in (current, status) and drug.first_published_at is None:
        drug.first_published_at = timezone.now()
    drug.save(update_fields=["status", "first_published_at"])
    product = drug.product
    product.is_public = status == DrugStatus.PUBLISHED
    product.save(update_fields=["is_public"])


@dataclass(frozen=True)
class PackChange:
    """A draft's pack, priced and stocked anew."""

    record_id: int
    price: Decimal
    stock: int


@transaction.atomic
def drug_draft_finish(
    *,
    drug: Drug,
    actor,
    pack_changes: list[PackChange],
    new_packs: list[PackSpec],
    image: File | None = None,
    draw_image: bool = False,
) -> None:
    """Finish a draft that shoppers have never seen: its packs' prices and
    stock, new packs, and an image (uploaded, or drawn if it has none). Once
    published, prices belong to the price editors and the price list."""
    if not may(actor, Perm.EDIT_DRUGS):
        raise PermissionDenied("You may not edit drugs.")
    stored = Drug.objects.select_for_update().get(pk=drug.pk)
    if stored.clinical_facts_locked:
        raise PermissionDenied(
            "This drug has been published: its prices are changed in the price list."
        )
    records = StockRecord.objects.filter(product__parent=stored.product)
    for change in pack_changes:
        record = records.get(pk=change.record_id)
        if (record.price, record.num_in_stock) != (change.price, change.stock):
            record.price, record.num_in_stock = change.price, change.stock
            record.save()  # a save, so the price history and the cache hear of it
    drug_packs_add(drug=stored, packs=new_packs)
    has_image = ProductImage.objects.filter(product=stored.product).exists()
    _image_add(
        product=stored.product, image=image, draw_image=draw_image and not has_image
    )


@transaction.atomic
def drug_draft_delete(*, drug: Drug, actor) -> None:
    """Delete a draft drug with its packs, prices, stock, strengths,
    monograph and image. A drug that was ever published is never deleted
    (orders and records name it): set it back to draft to take it off sale."""
    if not may(actor, Perm.DELETE_DRAFTS):
        raise PermissionDenied("You may not delete drugs.")
    stored = Drug.objects.select_for_update().get(pk=drug.pk)
    if stored.clinical_facts_locked:
        raise PermissionDenied(
            "A drug that has been published is never deleted; set it back to "
            "draft to take it off sale."
        )
    # The drug, its strengths, monograph and cautions go with its product;
    # the packs, their stock records and the images with theirs.
    Product.objects.filter(parent=stored.product).delete()
    stored.product.delete()


def drug_duplicate_exists(*, generic_name: str, dosage_form: str) -> bool:
    """Whether a drug of this generic name (in any letter case) and dosage
    form exists already: the catalogue holds each once."""
    return Drug.objects.filter(
        generic_name__iexact=generic_name.strip(), dosage_form=dosage_form
    ).exists()
