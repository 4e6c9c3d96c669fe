"""Reading the GS1 DataMatrix code on a manufacturer's pack.

A scanner types the code's text: application identifiers (01) GTIN, (17)
expiry, (10) lot and (21) serial, either raw (with the group separator a
scanner sends) or in the bracketed form printed under the code, which staff
can type. biip parses both; this module turns its answer into our fields.

A US drug's GTIN carries its 10-digit NDC: GTIN-14 is the packaging
indicator, "0", "3", the NDC and a check digit (the pack's UPC-A, "3" + NDC +
check digit, padded to 14).
"""

import datetime
import re
from dataclasses import dataclass

from biip import ParseConfig, ParseError
from biip.gs1_messages import GS1Message

GROUP_SEPARATOR = "\x1d"


class ScanError(ValueError):
    """The text is not a GS1 code we can read; the message says why."""


@dataclass(frozen=True)
class ScannedPack:
    gtin: str
    ndc: str  # 10 digits, no hyphens
    lot_number: str
    expires_on: datetime.date
    serial_number: str


def ndc_from_gtin(gtin: str) -> str:
    """The 10-digit NDC inside a US drug GTIN-14."""
    digits = gtin.zfill(14)
    if digits[1:3] != "03":
        raise ScanError(f"GTIN {gtin} is not a US drug code (it carries no NDC).")
    return digits[3:13]


def _message(text: str) -> GS1Message:
    text = text.strip()
    # A scanner may prefix the symbology identifier (]d2 is GS1 DataMatrix).
    if text[:3].lower() in ("]d2", "]c1", "]q3"):
        text = text[3:]
    if text.startswith("("):
        # The printed form, "(01)...(17)...": read as the scanner's form, one
        # element per separator (biip's own reader stops a lot at a hyphen).
        pairs = re.findall(r"\((\d{2,4})\)([^(]*)", text)
        text = GROUP_SEPARATOR.join(ai + value.strip() for ai, value in pairs)
    try:
        return GS1Message.parse(
            text, config=ParseConfig(separator_chars=[GROUP_SEPARATOR, "|"])
        )
    except ParseError as exc:
        raise ScanError(f"That is not a GS1 code we can read: {exc}") from exc


def scan_read(*, text: str) -> ScannedPack:
    """The pack's GTIN, NDC, lot, expiry and serial from a scanned code, or
    ScanError naming what is missing."""
    elements = _message(text).element_strings
    found = {ai: elements.get(ai=ai) for ai in ("01", "17", "10", "21")}
    missing = [
        name
        for ai, name in (("01", "GTIN"), ("17", "expiry date"), ("10", "lot number"))
        if found[ai] is None
    ]
    if missing:
        raise ScanError(f"The code has no {', '.join(missing)}.")
    gtin = found["01"]
    if gtin.gtin is None:
        raise ScanError(f"The GTIN in the code is not valid: {gtin.gtin_error}")
    return ScannedPack(
        gtin=gtin.value,
        ndc=ndc_from_gtin(gtin.value),
        lot_number=found["10"].value,
        expires_on=found["17"].date,
        serial_number=found["21"].value if found["21"] else "",
    )


def gtin_for_ndc(ndc: str) -> str:
    """The GTIN-14 of a 10-digit NDC, with its check digit (for demo packs and
    tests: what a manufacturer prints)."""
    body = "003" + ndc
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return body + str((10 - total % 10) % 10)
