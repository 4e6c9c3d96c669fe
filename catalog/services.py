"""Writes to the catalogue: loading the demo catalog and drawing pack images."""

import io
import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image, ImageDraw, ImageFont

from catalog.cautions import cautions_ensure
from catalog.models import (
    Drug,
    DrugCaution,
    MonographSection,
    Product,
    ProductAttribute,
    ProductClass,
    ProductImage,
    Strength,
)
from catalog.partner.models import Partner, StockRecord
from catalog.selectors import STRENGTH_ATTR, TABLETS_ATTR, canonical_mg


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)


def _fmt_mg(mg: Decimal) -> str:
    return str(canonical_mg(mg))


def variant_title(*, drug_title: str, mg: Decimal, tablets: int) -> str:
    return f"{drug_title} {_fmt_mg(mg)} mg, {tablets} tablets"


def product_class_ensure_pack_attributes(*, product_class: ProductClass) -> None:
    """Give a product class the two attributes every pack is described by."""
    for code, name, kind in (
        (STRENGTH_ATTR, "Strength (mg)", ProductAttribute.FLOAT),
        (TABLETS_ATTR, "Tablets per pack", ProductAttribute.INTEGER),
    ):
        ProductAttribute.objects.get_or_create(
            product_class=product_class,
            code=code,
            defaults={"name": name, "type": kind},
        )


@transaction.atomic
def catalog_load(*, path: Path) -> LoadReport:
    """Create whatever in the catalog file is missing; never overwrite.

    Safe to run again: existing products, prices, stock, availability and
    monograph edits made by staff are left exactly as they are.
    """
    data = json.loads(path.read_text(encoding="utf-8"))
    report = LoadReport()
    partner, _ = Partner.objects.get_or_create(name=data["partner"])
    pclass, _ = ProductClass.objects.get_or_create(
        slug=data["product_class"]["slug"],
        defaults={"name": data["product_class"]["name"], "track_stock": True},
    )
    product_class_ensure_pack_attributes(product_class=pclass)
    for spec in data["drugs"]:
        _load_drug(
            spec=spec,
            pclass=pclass,
            partner=partner,
            currency=data["currency"],
            base_dir=path.parent,
            report=report,
        )
    return report


def _load_drug(*, spec, pclass, partner, currency, base_dir, report) -> None:
    parent, created = Product.objects.get_or_create(
        upc=spec["upc"],
        defaults={
            "structure": Product.PARENT,
            "title": spec["title"],
            "slug": spec["slug"],
            "description": spec["description"],
            "product_class": pclass,
        },
    )
    if created:
        report.created.append(parent.title)
    drug, created = Drug.objects.get_or_create(
        product=parent,
        defaults={
            "generic_name": spec["generic_name"],
            "brand_names": spec["brand_names"],
            "dosage_form": spec["dosage_form"],
            "route": spec["route"],
            "prescription_required": spec["prescription_required"],
            "max_daily_dose_mg": spec.get("max_daily_dose_mg"),
            "search_terms": spec.get("search_terms", ""),
        },
    )
    cautions_ensure(drug=drug, caution_model=DrugCaution)
    if not drug.search_terms and spec.get("search_terms"):
        drug.search_terms = spec["search_terms"]
        drug.save(update_fields=["search_terms"])
    if not drug.sections.exists():
        sections = json.loads((base_dir / spec["monograph"]).read_text("utf-8"))
        MonographSection.objects.bulk_create(
            MonographSection(drug=drug, position=i, **s)
            for i, s in enumerate(sections, start=1)
        )
        report.created.append(f"{len(sections)} monograph sections")
    if not parent.images.exists():
        ProductImage.objects.create(
            product=parent,
            original=ContentFile(
                pack_image_png(title=spec["title"], accent=spec["image"]["accent"]),
                name=f"{spec['slug']}-pack.png",
            ),
            caption=f"{spec['title']} tablets pack",
            display_order=0,
        )
    for strength_spec in spec["strengths"]:
        mg = Decimal(strength_spec["mg"])
        defaults = {"is_available": strength_spec["available"]}
        if "markets" in strength_spec:
            defaults["approved_markets"] = strength_spec["markets"]
        Strength.objects.get_or_create(drug=drug, mg=mg, defaults=defaults)
        for tablets, price in strength_spec["packs"].items():
            _load_variant(
                parent=parent,
                mg=mg,
                tablets=int(tablets),
                price=Decimal(price),
                currency=currency,
                partner=partner,
                stock=spec["stock_per_pack"],
                report=report,
            )


def _load_variant(*, parent, mg, tablets, price, currency, partner, stock, report):
    sku = f"{parent.upc}-{_fmt_mg(mg)}MG-{tablets}"
    child = Product.objects.filter(upc=sku).first()
    if child is None:
        child = Product(
            structure=Product.CHILD,
            parent=parent,
            upc=sku,
            title=variant_title(drug_title=parent.title, mg=mg, tablets=tablets),
        )
        child.attr.initialize()
        setattr(child.attr, STRENGTH_ATTR, float(mg))
        setattr(child.attr, TABLETS_ATTR, tablets)
        child.save()
        report.created.append(child.title)
    StockRecord.objects.get_or_create(
        product=child,
        partner=partner,
        defaults={
            "partner_sku": sku,
            "price": price,
            "price_currency": currency,
            "num_in_stock": stock,
        },
    )


def pack_image_png(*, title: str, accent: str, size: int = 640) -> bytes:
    """Draw a plain pharmacy carton for a drug: our own artwork, no downloads."""
    img = Image.new("RGB", (size, size), "#f4f7f9")
    draw = ImageDraw.Draw(img)
    box = (size * 0.12, size * 0.22, size * 0.88, size * 0.80)
    draw.rounded_rectangle(box, radius=24, fill="#ffffff", outline="#9aa9b5", width=4)
    draw.rectangle((box[0] + 2, box[1] + 30, box[2] - 2, box[1] + 110), fill=accent)
    big = ImageFont.load_default(size=int(size * 0.09))
    small = ImageFont.load_default(size=int(size * 0.045))
    draw.text((box[0] + 30, box[1] + 40), title, fill="#ffffff", font=big)
    draw.text(
        (box[0] + 30, box[1] + 150), "Tablets for oral use", fill="#22313f", font=small
    )
    draw.text(
        (box[0] + 30, box[1] + 200),
        "Prescription only medicine",
        fill="#8a1c1c",
        font=small,
    )
    for i in range(5):  # a strip of tablets
        cx = box[0] + 60 + i * 85
        cy = box[3] - 70
        draw.ellipse(
            (cx - 28, cy - 28, cx + 28, cy + 28),
            fill="#eef1f3",
            outline="#9aa9b5",
            width=3,
        )
        draw.line((cx - 20, cy, cx + 20, cy), fill="#9aa9b5", width=3)
    buf = io.BytesIO()
    img.save(buf, format="PNG", optimize=True)
    return buf.getvalue()
