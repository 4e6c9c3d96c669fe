"""What of an uploaded prescription is kept: images re-encoded with nothing but
their pixels, PDFs parsed and refused when they could do more than show pages."""

import io
import struct
import time
import zipfile
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image, PngImagePlugin

from checkout.dispensing import uploads
from tests import pdfs


def upload(content: bytes, name: str = "rx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def check(content: bytes) -> uploads.CheckedUpload:
    """Both steps, as a file goes through them: the quick check in the request,
    then the task queue's finishing; the content is what is kept."""
    quick = uploads.upload_check(upload=upload(content))
    return uploads.CheckedUpload(
        quick.content_type,
        quick.extension,
        content=uploads.upload_finish(
            content_type=quick.content_type, data=quick.content
        ),
    )


def image_bytes(fmt: str, size=(40, 30), **save) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, "white").save(buf, format=fmt, **save)
    return buf.getvalue()


def zip_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("payload.js", "alert(document.cookie)")
    return buf.getvalue()


def jpeg_with_gps_and_orientation() -> bytes:
    """A 40 x 30 photo whose EXIF says where it was taken and that it should be
    shown turned a quarter turn (orientation 6)."""
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Make] = "PhoneCo"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (40.0, 44.0, 55.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "W"
    gps[ExifTags.GPS.GPSLongitude] = (73.0, 59.0, 11.0)
    return image_bytes("JPEG", exif=exif.tobytes())


def opened(content: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(content))
    image.load()
    return image


# -- images ----------------------------------------------------------------------


def test_a_png_with_a_zip_appended_is_stored_without_the_zip():
    content = image_bytes("PNG") + zip_bytes()
    assert b"PK\x03\x04" in content

    checked = check(content)

    assert checked.content_type == "image/png"
    assert b"PK\x03\x04" not in checked.content
    assert b"payload.js" not in checked.content
    assert checked.content.endswith(b"IEND\xaeB`\x82")
    assert opened(checked.content).size == (40, 30)


def test_a_jpeg_loses_its_gps_position_and_camera_details():
    content = jpeg_with_gps_and_orientation()
    assert opened(content).getexif().get_ifd(ExifTags.IFD.GPSInfo)

    checked = check(content)

    stored = opened(checked.content)
    assert checked.content_type == "image/jpeg"
    assert "exif" not in stored.info
    assert not stored.getexif()
    assert b"Exif" not in checked.content
    assert b"PhoneCo" not in checked.content


def test_a_jpeg_is_turned_the_way_its_camera_said():
    checked = check(jpeg_with_gps_and_orientation())

    assert opened(checked.content).size == (30, 40)


def test_png_text_chunks_and_colour_profiles_are_dropped():
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "Patient: Alex Rivera, DOB 1980-05-17")
    content = image_bytes("PNG", pnginfo=info, icc_profile=b"\0" * 128)

    checked = check(content)

    assert b"Alex Rivera" not in checked.content
    assert b"iCCP" not in checked.content
    assert opened(checked.content).info.get("Comment") is None


def test_a_huge_photo_is_scaled_down_to_a_readable_size():
    checked = check(image_bytes("JPEG", size=(6000, 4500)))

    assert opened(checked.content).size == (4000, 3000)


def test_a_palette_png_with_transparency_keeps_its_transparency():
    buf = io.BytesIO()
    Image.new("P", (20, 10), 0).save(buf, format="PNG", transparency=0)

    stored = opened(check(buf.getvalue()).content)

    assert stored.mode == "RGBA"


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data))
        + kind
        + data
        + struct.pack(">I", zlib.crc32(kind + data))
    )


def decompression_bomb_png(side: int) -> bytes:
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", zlib.compress(b"\0" * 16))
        + png_chunk(b"IEND", b"")
    )


@pytest.mark.parametrize("side", [5001, 8000, 10000, 30000])
def test_a_decompression_bomb_is_refused_by_the_quick_check(side):
    with pytest.raises(ValidationError) as refused:
        uploads.upload_check(upload=upload(decompression_bomb_png(side)))

    # Over our limit, the customer is told the limit; far over Pillow's own
    # guard, it is simply not an image we take. Either way, nothing decoded.
    assert refused.value.messages[0] in (
        uploads.NOT_A_PRESCRIPTION_FILE,
        f"This image is {side * side / 1e6:.0f} megapixels, more than the 25 we "
        "accept. Please upload a smaller photo or scan (a phone camera's normal "
        "setting is fine).",
    )


def test_the_pixel_limit_is_told_to_the_customer():
    with pytest.raises(ValidationError) as refused:
        uploads.upload_check(upload=upload(decompression_bomb_png(7680)))

    assert "59 megapixels, more than the 25 we accept" in refused.value.messages[0]


def test_a_large_png_is_refused_in_the_request_without_decoding_it():
    """The header alone decides: a 59-megapixel PNG of 72 KB costs the request
    no decoding (it took about 3 s of CPU when it was decoded)."""
    image = Image.new("L", (7680, 7680), 255)
    buf = io.BytesIO()
    image.save(buf, format="PNG")

    started = time.process_time()
    with pytest.raises(ValidationError):
        uploads.upload_check(upload=upload(buf.getvalue()))

    assert time.process_time() - started < 0.1


def test_the_quick_check_does_not_decode_pixels_but_finishing_does():
    content = image_bytes("JPEG", size=(400, 300))
    truncated = content[: len(content) // 2]

    quick = uploads.upload_check(upload=upload(truncated))

    assert quick.content == truncated  # held as received, unseen, until finished
    with pytest.raises(ValidationError):
        uploads.upload_finish(content_type=quick.content_type, data=quick.content)


# -- PDFs ------------------------------------------------------------------------


def test_a_plain_pdf_is_kept_as_uploaded():
    content = pdfs.pdf_bytes(pages=2)

    checked = check(content)

    assert (checked.content_type, checked.extension) == ("application/pdf", ".pdf")
    assert checked.content == content


HOSTILE_PDFS = {
    "javascript in the names tree": (pdfs.pdf_with_javascript_name, "JavaScript"),
    "javascript open action": (pdfs.pdf_with_javascript_open_action, "JavaScript"),
    "javascript behind a link": (pdfs.pdf_with_javascript_link, "JavaScript"),
    "launch open action": (pdfs.pdf_with_launch_action, "starts another program"),
    "launch behind a link": (pdfs.pdf_with_launch_link, "starts another program"),
    "embedded file": (pdfs.pdf_with_embedded_file, "other files attached"),
    "file attachment annotation": (
        pdfs.pdf_with_file_attachment_annotation,
        "other files attached",
    ),
}


@pytest.mark.parametrize(
    ("build", "says"), HOSTILE_PDFS.values(), ids=HOSTILE_PDFS.keys()
)
def test_a_pdf_that_could_do_more_than_show_pages_is_refused(build, says):
    with pytest.raises(ValidationError) as refused:
        check(build())

    (message,) = refused.value.messages
    assert says in message
    assert "upload a photo or scan" in message


def test_a_script_hidden_behind_an_escaped_name_is_still_found():
    # /J#53 is how a PDF may spell /JS to slip past a byte search.
    content = pdfs.pdf_with_javascript_open_action().replace(b"/JS ", b"/J#53 ")
    assert b"/JS " not in content

    with pytest.raises(ValidationError, match="JavaScript"):
        check(content)


UNREADABLE_PDFS = {
    "not a pdf after the header": b"%PDF-1.7\n" + b"<html><script>1</script>" * 20,
    "truncated": pdfs.pdf_bytes(pages=3)[:300],
    "header only": b"%PDF-1.4\n",
    "no cross-reference table": (
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
        b"trailer << /Root 1 0 R >>\n%%EOF\n"
    ),
}


@pytest.mark.parametrize("content", UNREADABLE_PDFS.values(), ids=UNREADABLE_PDFS)
def test_a_pdf_that_does_not_parse_is_refused_with_a_clear_message(content):
    with pytest.raises(ValidationError) as refused:
        check(content)

    assert refused.value.messages == [uploads.PDF_UNREADABLE]


def test_a_password_protected_pdf_is_refused():
    with pytest.raises(ValidationError, match="password-protected"):
        check(pdfs.pdf_with_password())


def test_a_pdf_with_too_many_pages_is_refused():
    with pytest.raises(ValidationError, match="at most 20"):
        check(pdfs.pdf_bytes(pages=21))
