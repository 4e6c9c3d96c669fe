"""The printed documents of a fill, drawn on the server with ReportLab:

- the label PDF, on 4 x 6 inch label stock (the common thermal label size,
  which takes the shipping label too): page 1 the prescription label, with
  the patient's part first in large type, the warning stickers, the FDA
  statement and the QR code; page 2 the outer shipping label, naming no drug;
- the paperwork PDF, on US Letter: the packing slip, then the patient
  information leaflet from the monograph.

ReportLab rather than an HTML renderer: WeasyPrint switches on Pillow's
LOAD_TRUNCATED_IMAGES for the whole process when imported, which would let a
truncated prescription image through the upload check.
"""

import io
from xml.sax.saxutils import escape

from django.conf import settings
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import LETTER, inch
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import (
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from checkout.dispensing.labels import content, links
from checkout.dispensing.stock.models import Fill

LABEL_SIZE = (4 * inch, 6 * inch)
LABEL_SIZE_NAME = "4 x 6 inch label"
PATIENT_PT = 13  # the patient's part: California asks for at least 12-point


def _style(size: float, *, bold=False, space=2, **extra) -> ParagraphStyle:
    return ParagraphStyle(
        f"s{size}{bold}",
        fontName="Helvetica-Bold" if bold else "Helvetica",
        fontSize=size,
        leading=size * 1.2,
        spaceAfter=space,
        **extra,
    )


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(str(text)), style)


def _qr(text: str, size: float) -> Drawing:
    widget = QrCodeWidget(text)
    left, bottom, right, top = widget.getBounds()
    drawing = Drawing(
        size,
        size,
        transform=[size / (right - left), 0, 0, size / (top - bottom), 0, 0],
    )
    drawing.add(widget)
    return drawing


def _build(pagesize, story, *, title: str, margin: float) -> bytes:
    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=pagesize,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=margin,
        title=title,
        author=settings.PHARMACY["name"],
    ).build(story)
    return buffer.getvalue()


def label_facts(label: content.Label) -> list[tuple[str, str]]:
    """The label's facts below the patient's part, in print order."""
    facts = [
        ("Rx number", label.rx_number),
        ("Date filled", f"{label.filled_on:%Y-%m-%d}"),
        ("Quantity", f"{label.quantity} tablets"),
        ("Prescriber", label.prescriber),
        ("Refills left", str(label.refills_left)),
        (
            "Prescription expires",
            f"{label.prescription_expires:%Y-%m-%d}"
            if label.prescription_expires
            else "",
        ),
        ("Discard after", f"{label.discard_after:%Y-%m-%d}"),
    ]
    for lot in label.lots:
        facts += [("NDC", lot.ndc), ("Lot", lot.lot_number)]
    return facts


def label_pdf(*, fill: Fill) -> bytes:
    label = content.label_of(fill=fill)
    small = _style(7.5, space=1)
    story = [
        _p(label.patient_name, _style(PATIENT_PT + 1, bold=True)),
        _p(label.drug, _style(PATIENT_PT, bold=True)),
        _p(label.directions, _style(PATIENT_PT)),
    ]
    if label.purpose:
        story.append(_p(f"For {label.purpose}", _style(12)))
    facts = [_p(f"{name}: {value}", small) for name, value in label_facts(label)]
    qr = [
        _qr(links.label_link(fill_id=fill.pk), 0.95 * inch),
        _p("Scan for large print or a screen reader", _style(6)),
    ]
    side_by_side = Table(
        [[facts, qr]], colWidths=[2.5 * inch, 1.1 * inch], hAlign="LEFT"
    )
    side_by_side.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEABOVE", (0, 0), (-1, 0), 1.2, colors.black),
                ("LEFTPADDING", (0, 0), (0, 0), 0),
            ]
        )
    )
    story.append(side_by_side)
    for sticker in label.stickers:
        box = Table(
            [[_p(sticker, _style(7.5, bold=True, space=0))]], colWidths=[3.7 * inch]
        )
        box.setStyle(
            TableStyle(
                [
                    ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#ffe066")),
                    ("BOX", (0, 0), (-1, -1), 0.8, colors.black),
                ]
            )
        )
        story += [box, Spacer(1, 2)]
    story += [
        _p(label.fda_statement, _style(7.5, bold=True)),
        _p(
            f"{label.pharmacy_name}, {label.pharmacy_address}. "
            f"Phone {label.pharmacy_phone}",
            small,
        ),
        PageBreak(),
        *_outer_label(label=label, address=fill.order.shipping_address),
    ]
    return _build(
        LABEL_SIZE, story, title=f"Label {label.rx_number}", margin=0.15 * inch
    )


def _outer_label(*, label: content.Label, address) -> list:
    """The shipping label on the box: who from and to, never the medicine."""
    to_lines = address.active_address_fields() if address else []
    return [
        _p("From", _style(9, bold=True)),
        _p(label.pharmacy_name, _style(11)),
        _p(label.pharmacy_address, _style(11)),
        Spacer(1, 0.4 * inch),
        _p("To", _style(10, bold=True)),
        *[_p(line, _style(14)) for line in to_lines],
        Spacer(1, 0.3 * inch),
        _p(f"Order {label.order_number}", _style(10)),
    ]


def _body(text: str, style: ParagraphStyle) -> list[Paragraph]:
    """A monograph body: blank lines part paragraphs; '- ' lines are bullets."""
    parts = []
    for block in text.split("\n\n"):
        for line in block.splitlines() if block.lstrip().startswith("- ") else [block]:
            line = line.strip()
            if line.startswith("- "):
                parts.append(Paragraph(escape(line[2:]), style, bulletText="•"))
            elif line:
                parts.append(_p(" ".join(line.split()), style))
    return parts


def paperwork_pdf(*, fill: Fill) -> bytes:
    label = content.label_of(fill=fill)
    leaflet = content.leaflet_of(drug_id=label.drug_id)
    storage = next((s for s in leaflet if s.anchor == "storage"), None)
    phone = settings.PHARMACY["phone"]
    h1, h2, body = _style(16, bold=True, space=8), _style(12, bold=True), _style(10.5)
    body.spaceAfter = 5
    rows = [["Item", "Packs"]] + [
        [_p(line.title, body), str(line.quantity)]
        for line in fill.order.lines.order_by("pk")
    ]
    table = Table(rows, colWidths=[5 * inch, 1 * inch], hAlign="LEFT")
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.grey)]))
    story = [
        _p(f"Packing slip: order {label.order_number}", h1),
        _p("In this box", h2),
        table,
        _p(f"{label.quantity} tablets in all, prescription {label.rx_number}.", body),
        _p("Questions? Call our pharmacist", h2),
        _p(phone, body),
        _p("How to store this medicine", h2),
        *(
            _body(storage.body, body)
            if storage
            else [_p("Keep it closed, dry, cool and out of children's reach.", body)]
        ),
        _p("Does it look different from last time?", h2),
        _p(
            "Tablets from another maker or batch can differ in colour, shape or "
            "markings. Do not take them until you have checked: call our "
            f"pharmacist on {phone} with the label in front of you.",
            body,
        ),
        PageBreak(),
        _p(f"About your medicine: {label.drug}", h1),
    ]
    for section in leaflet:
        story.append(
            KeepTogether([_p(section.title, h2), *_body(section.body, body)[:1]])
        )
        story += _body(section.body, body)[1:]
    story.append(_p(label.fda_statement, _style(10.5, bold=True)))
    return _build(
        LETTER,
        story,
        title=f"Order {label.order_number}: packing slip and leaflet",
        margin=0.75 * inch,
    )
