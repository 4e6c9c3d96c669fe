"""Adding packs to a basket and reading what the pages say, for the
add-to-basket tests."""

import re
from decimal import Decimal
from html.parser import HTMLParser

from django.urls import reverse
from oscar.core.loading import get_model

from catalog.models import Product

Line = get_model("basket", "Line")


# Page reading: messages and the basket table, with the standard library parser.


class _Texts(HTMLParser):
    """Collects the text of every element matching a class, e.g. "message"."""

    def __init__(self, cls: str) -> None:
        super().__init__(convert_charrefs=True)
        self.cls = cls
        self.depth = 0  # >0 while inside a matching element
        self.found: list[list[str]] = []

    def handle_starttag(self, tag, attrs):
        if tag in {"input", "br", "img", "meta", "link"}:
            return
        if self.depth:
            self.depth += 1
        elif self.cls in (dict(attrs).get("class") or "").split():
            self.depth = 1
            self.found.append([])

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.found[-1].append(data)


def texts(response, cls: str) -> list[str]:
    parser = _Texts(cls)
    parser.feed(response.content.decode())
    return [re.sub(r"\s+", " ", "".join(parts)).strip() for parts in parser.found]


def error_messages(response) -> list[str]:
    return texts(response, "message-error")


def success_messages(response) -> list[str]:
    return texts(response, "message-success")


def basket_rows(response) -> list[list[str]]:
    """Each basket line's cells as read out: item, strength, pack size, per tablet,
    pack price, packs (label and [input value]), line total, remove."""
    content = response.content.decode()
    rows = re.findall(r'<tr data-line="\d+">(.*?)</tr>', content, re.S)
    cells = []
    for row in rows:
        parser = _CellTexts()
        parser.feed(row)
        cells.append(parser.cells)
    return cells


class _CellTexts(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.cells: list[str] = []
        self.inside = False

    def handle_starttag(self, tag, attrs):
        if tag in {"td", "th"}:
            self.cells.append("")
            self.inside = True
        elif tag == "input" and dict(attrs).get("type") == "number":
            self.cells[-1] += f"[{dict(attrs).get('value')}]"

    def handle_endtag(self, tag):
        if tag in {"td", "th"}:
            self.cells[-1] = re.sub(r"\s+", " ", self.cells[-1]).strip()
            self.inside = False

    def handle_data(self, data):
        if self.inside:
            self.cells[-1] += data


# Helpers


def add_url(product) -> str:
    return reverse(
        "catalogue:add-variant", kwargs={"product_slug": product.slug, "pk": product.pk}
    )


def pack(drug, mg: str, tablets: int) -> Product:
    return Product.objects.get(parent=drug.product, upc__endswith=f"-{mg}-{tablets}")


def lines() -> list[tuple[int, int, Decimal]]:
    """Every basket line in the database: (product id, quantity, unit price)."""
    return [
        (line.product_id, line.quantity, line.price_incl_tax)
        for line in Line.objects.order_by("pk")
    ]


def add(client, product, **data):
    return client.post(add_url(product), data, follow=True)
