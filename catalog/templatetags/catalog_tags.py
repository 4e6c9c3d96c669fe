import re

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from catalog import pricing, selectors

register = template.Library()


@register.filter
def monograph_body(text: str) -> SafeString:
    """Plain text to paragraphs and bullet lists. Everything is escaped: staff
    edit this in the admin, and no markup they type reaches the page."""
    blocks = [b.strip() for b in re.split(r"\n[ \t]*\n", text.replace("\r\n", "\n"))]
    blocks = [b for b in blocks if b]
    html = []
    for block in blocks:
        lines = [ln.strip() for ln in block.split("\n")]
        if all(ln.startswith("- ") for ln in lines):
            items = format_html_join("", "<li>{}</li>", ((ln[2:],) for ln in lines))
            html.append(format_html("<ul>{}</ul>", items))
        else:
            html.append(format_html("<p>{}</p>", " ".join(lines)))
    return mark_safe("\n".join(html))  # noqa: S308 - each part is built by format_html


@register.simple_tag
def pack_info(line) -> dict | None:
    """Strength, pack size and per-tablet price for a basket or order line,
    derived from the unit price the line charges."""
    facts = selectors.variant_facts(product=line.product) if line.product else None
    if facts is None:
        return None
    strength_mg, tablets = facts
    unit_price = line.unit_price_incl_tax
    return {
        "strength_mg": strength_mg,
        "tablets": tablets,
        "per_tablet": (
            pricing.per_tablet_price(pack_price=unit_price, tablets=tablets)
            if unit_price is not None
            else None
        ),
    }
