"""Reading a pack's GS1 DataMatrix text: GTIN to NDC, lot, expiry, serial."""

import datetime

import pytest

from checkout.dispensing.stock import gs1

GTIN = gs1.gtin_for_ndc("9920700101")


@pytest.mark.parametrize(
    "text",
    [
        f"(01){GTIN}(17)281231(10)AB123(21)S9",  # as printed under the code
        f"]d201{GTIN}17281231" + "10AB123\x1d21S9",  # as a scanner types it
        f"01{GTIN}17281231" + "10AB123|21S9",  # a scanner set to send | for GS
    ],
)
def test_a_gs1_string_fills_ndc_lot_expiry_and_serial(text):
    scanned = gs1.scan_read(text=text)

    assert (scanned.ndc, scanned.lot_number, scanned.serial_number) == (
        "9920700101",
        "AB123",
        "S9",
    )
    assert scanned.expires_on == datetime.date(2028, 12, 31)


def test_a_day_of_00_means_the_end_of_the_month():
    scanned = gs1.scan_read(text=f"(01){GTIN}(17)270200(10)X1")
    assert scanned.expires_on == datetime.date(2027, 2, 28)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("hello", "not a GS1 code"),
        (f"(01){GTIN}(10)X1", "no expiry date"),
        ("(01)00012345678905(17)281231(10)X1", "not a US drug code"),
    ],
)
def test_a_code_that_cannot_fill_the_lot_says_why(text, says):
    with pytest.raises(gs1.ScanError, match=says):
        gs1.scan_read(text=text)


def test_a_lot_number_with_a_hyphen_is_read_whole_from_the_printed_form():
    scanned = gs1.scan_read(text=f"(01){GTIN}(17)281231(10)AB-12(21)S-9")
    assert (scanned.lot_number, scanned.serial_number) == ("AB-12", "S-9")
