"""The prescription rules: age, prescriber NPI, days of supply, and which
uploaded files are accepted as a prescription (judged by content, not name)."""

import datetime
import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from checkout.dispensing import prescriptions
from tests import pdfs
from tests.checkout_helpers import png_upload


def years_before(day: datetime.date, years: int) -> datetime.date:
    """The same calendar day `years` earlier (28 February for a 29 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


# -- age ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("dob", "today", "age"),
    [
        (datetime.date(1980, 5, 17), datetime.date(2024, 5, 16), 43),
        (datetime.date(1980, 5, 17), datetime.date(2024, 5, 17), 44),
        (datetime.date(1980, 5, 17), datetime.date(2024, 12, 31), 44),
        (datetime.date(1980, 12, 31), datetime.date(2025, 1, 1), 44),
        # Born on a leap day: a year older on 1 March in common years, and on
        # 29 February itself in leap years.
        (datetime.date(2004, 2, 29), datetime.date(2022, 2, 28), 17),
        (datetime.date(2004, 2, 29), datetime.date(2022, 3, 1), 18),
        (datetime.date(2004, 2, 29), datetime.date(2024, 2, 28), 19),
        (datetime.date(2004, 2, 29), datetime.date(2024, 2, 29), 20),
        # Turning 18 on a leap day.
        (datetime.date(2006, 2, 28), datetime.date(2024, 2, 29), 18),
        (datetime.date(2006, 3, 1), datetime.date(2024, 2, 29), 17),
        (datetime.date(2024, 6, 1), datetime.date(2024, 6, 1), 0),
    ],
)
def test_age_on_counts_whole_years_including_leap_day_birthdays(dob, today, age):
    assert prescriptions.age_on(date_of_birth=dob, today=today) == age


def test_an_adult_is_accepted_and_their_age_returned():
    today = timezone.localdate()
    assert prescriptions.patient_age_check(date_of_birth=years_before(today, 18)) == 18
    assert prescriptions.patient_age_check(date_of_birth=years_before(today, 44)) == 44


def test_a_patient_a_day_short_of_18_is_refused_with_a_clear_message():
    dob = years_before(timezone.localdate(), 18) + datetime.timedelta(days=1)

    with pytest.raises(ValidationError) as refused:
        prescriptions.patient_age_check(date_of_birth=dob)

    (message,) = refused.value.messages
    assert "aged 18 or over" in message
    assert "under-18s" in message


def test_a_date_of_birth_in_the_future_is_refused():
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    with pytest.raises(ValidationError, match="can't be in the future"):
        prescriptions.patient_age_check(date_of_birth=tomorrow)


def test_an_impossible_age_is_questioned():
    with pytest.raises(ValidationError, match="check the date of birth"):
        prescriptions.patient_age_check(date_of_birth=datetime.date(1890, 1, 1))


# -- NPI -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("1234567893", "1234567893"),
        (" 1234567893 ", "1234567893"),
        ("1234 567 893", "1234567893"),
        ("1245319599", "1245319599"),
    ],
)
def test_a_valid_npi_is_accepted_and_normalised(typed, stored):
    assert prescriptions.npi_check(npi=typed) == stored


def test_an_npi_with_a_wrong_check_digit_is_refused():
    with pytest.raises(ValidationError, match="check digit is wrong"):
        prescriptions.npi_check(npi="1234567890")


@pytest.mark.parametrize(
    "typed",
    [
        "123456789",  # 9 digits
        "12345678931",  # 11 digits
        "",
        "12345abc93",
        "1234-567-89",
        "123456789.",
    ],
)
def test_an_npi_that_is_not_ten_digits_is_refused(typed):
    with pytest.raises(ValidationError, match="exactly 10 digits"):
        prescriptions.npi_check(npi=typed)


@pytest.mark.parametrize("typed", ["１２３４５６７８９３", "123456789²"])
def test_an_npi_in_non_ascii_digits_is_refused_not_crashed_on(typed):
    with pytest.raises(ValidationError):
        prescriptions.npi_check(npi=typed)


# -- uploads -------------------------------------------------------------------


def image_bytes(fmt: str, size=(40, 30)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, "white").save(buf, format=fmt)
    return buf.getvalue()


def upload(name: str, content: bytes, content_type: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


MINIMAL_PDF = pdfs.pdf_bytes(pages=1)


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data))
        + kind
        + data
        + struct.pack(">I", zlib.crc32(kind + data))
    )


def decompression_bomb_png(side: int) -> bytes:
    """A few dozen bytes that claim to be a side x side pixel image."""
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", zlib.compress(b"\0" * 16))
        + png_chunk(b"IEND", b"")
    )


@pytest.mark.parametrize(
    ("name", "content", "declared", "content_type", "extension"),
    [
        ("rx.png", image_bytes("PNG"), "image/png", "image/png", ".png"),
        ("rx.jpg", image_bytes("JPEG"), "image/jpeg", "image/jpeg", ".jpg"),
        ("rx.pdf", MINIMAL_PDF, "application/pdf", "application/pdf", ".pdf"),
        # The name and declared type are ignored: the content decides.
        ("photo.pdf", image_bytes("JPEG"), "application/pdf", "image/jpeg", ".jpg"),
        ("scan", image_bytes("PNG"), "application/octet-stream", "image/png", ".png"),
    ],
)
def test_real_prescription_files_are_accepted_as_what_they_really_are(
    name, content, declared, content_type, extension
):
    file = upload(name, content, declared)

    kind = prescriptions.prescription_upload_check(upload=file)

    assert (kind.content_type, kind.extension) == (content_type, extension)
    # Left ready to be saved from the start.
    assert file.tell() == 0
    assert file.read() == content


def test_a_large_real_photo_under_the_limit_is_accepted(settings):
    content = image_bytes("PNG", size=(2000, 1500))
    settings.PRESCRIPTION_MAX_UPLOAD_BYTES = len(content)

    kind = prescriptions.prescription_upload_check(
        upload=upload("rx.png", content, "image/png")
    )

    assert kind.content_type == "image/png"


HOSTILE = {
    "renamed executable": (
        "rx.png",
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200,
        "image/png",
    ),
    "html posing as a jpeg": (
        "scan.jpg",
        b"<html><script>fetch('/admin/').then(r => r.text())</script></html>",
        "image/jpeg",
    ),
    "svg posing as a png": (
        "scan.png",
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>',
        "image/png",
    ),
    "gif": ("rx.gif", image_bytes("GIF"), "image/gif"),
    "gif renamed png": ("rx.png", image_bytes("GIF"), "image/png"),
    "bmp": ("rx.png", image_bytes("BMP"), "image/png"),
    "truncated png": ("rx.png", image_bytes("PNG", (400, 300))[:500], "image/png"),
    "png header only": ("rx.png", image_bytes("PNG")[:8], "image/png"),
    # Pillow refuses to open 30000 x 30000 and warns about 10000 x 10000.
    "decompression bomb": ("rx.png", decompression_bomb_png(30000), "image/png"),
    "pixel flood": ("rx.png", decompression_bomb_png(10000), "image/png"),
    "text named pdf": ("rx.pdf", b"PDF-1.4 almost but not quite", "application/pdf"),
}


@pytest.mark.parametrize(
    ("name", "content", "declared"), HOSTILE.values(), ids=HOSTILE.keys()
)
def test_files_that_are_not_a_jpeg_png_or_pdf_are_refused(name, content, declared):
    with pytest.raises(ValidationError) as refused:
        prescriptions.prescription_upload_check(upload=upload(name, content, declared))

    assert refused.value.messages == [
        "Please upload a photo or scan as JPEG or PNG, or a PDF."
    ]


def test_an_empty_file_is_refused():
    with pytest.raises(ValidationError, match="empty"):
        prescriptions.prescription_upload_check(
            upload=upload("rx.png", b"", "image/png")
        )


def test_a_file_over_10_mb_is_refused_before_it_is_read(settings):
    assert settings.PRESCRIPTION_MAX_UPLOAD_BYTES == 10 * 1024 * 1024
    # A real PNG padded past the limit: the size alone refuses it.
    content = image_bytes("PNG") + b"\0" * (11 * 1024 * 1024)

    with pytest.raises(ValidationError, match="too large. The limit is 10 MB"):
        prescriptions.prescription_upload_check(
            upload=upload("rx.png", content, "image/png")
        )


def test_a_file_of_exactly_the_limit_is_not_refused_for_size(settings):
    file = png_upload()
    settings.PRESCRIPTION_MAX_UPLOAD_BYTES = file.size

    assert prescriptions.prescription_upload_check(upload=file).extension == ".png"
