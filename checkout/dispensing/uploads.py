"""Deciding what of an uploaded prescription file is kept: the one place that
accepts or refuses an upload.

Checking happens in two steps, so that a large image can never stall the
shop's web workers:

- ``upload_check`` runs in the request and is cheap: size, type by content,
  an image's dimensions read from its header (refused over the pixel limit
  before any pixel is decoded), a PDF's structure. Its answer is what the
  shopper sees at once.
- ``upload_finish`` is the slow part (decoding and re-encoding pixels,
  drawing a PDF page) and runs in the task queue
  (checkout.dispensing.tasks). Until it has run, the stored bytes are held
  unseen: no pharmacist page serves them.

A file is judged by what it holds, never by its name or declared type:

- JPEG and PNG images are decoded and re-encoded. What is stored is the new
  image only: no EXIF (GPS position, camera, date), no colour profile, no text
  chunks, nothing that was appended after the image (a ZIP, a script), with the
  camera's orientation applied to the pixels. The uploaded bytes are never
  stored.
- PDFs are parsed (pypdf for the structure, PDFium for the pages) and refused
  when they do not parse, are password-protected, have no pages or too many,
  or hold JavaScript, launch actions or embedded files. An accepted PDF is
  stored as uploaded; pharmacists only ever see its pages drawn as images
  (prescription_pages.py).
"""

import io
import logging
import warnings
from dataclasses import dataclass

import pypdfium2 as pdfium
from django.conf import settings
from django.core.exceptions import ValidationError
from PIL import Image, ImageOps, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from checkout.dispensing.prescription_pages import PDFIUM_LOCK

logger = logging.getLogger(__name__)

NOT_A_PRESCRIPTION_FILE = "Please upload a photo or scan as JPEG or PNG, or a PDF."
IMAGE_TYPES = {"JPEG": ("image/jpeg", ".jpg"), "PNG": ("image/png", ".png")}
PDF_TYPE = ("application/pdf", ".pdf")
# A phone photo is 12 to 50 megapixels; a prescription reads well at 4000 px.
# Larger images are scaled down, which also keeps a decoded image's memory
# bounded (JPEG decodes straight at the smaller size).
MAX_IMAGE_SIDE = 4000
# Refused from the header, before decoding: a few bytes can claim gigapixels.
# A JPEG decodes straight at a fraction of its size (the decoder's own
# scaling), so a 50-megapixel phone photo stays cheap; a PNG must be decoded
# whole, so it gets a lower limit (an A4 page scanned at 300 dpi is 9 MP).
MAX_IMAGE_PIXELS = {"JPEG": 60_000_000, "PNG": 25_000_000}
JPEG_QUALITY = 90
MAX_PDF_PAGES = 20
# Walking a PDF's objects stops here: a prescription has a few dozen.
MAX_PDF_OBJECTS = 20_000

PDF_UNREADABLE = (
    "We couldn't read this PDF. Please save or scan it again, or upload a photo "
    "of the prescription as JPEG or PNG."
)
PDF_REFUSED = {
    "javascript": "This PDF contains JavaScript, which we can't accept.",
    "launch": "This PDF contains an action that starts another program, which "
    "we can't accept.",
    "embedded": "This PDF has other files attached inside it, which we can't accept.",
}
PDF_REFUSED_HINT = (
    " Please print it to a new PDF, or upload a photo or scan of the "
    "prescription as JPEG or PNG."
)


@dataclass(frozen=True)
class CheckedUpload:
    """An upload that passed the quick check: what it is, and its bytes, which
    are stored unseen until ``upload_finish`` has made them safe to show."""

    content_type: str
    extension: str
    content: bytes


def upload_check(*, upload) -> CheckedUpload:
    """Accept a JPEG, PNG or PDF of at most the configured size, judged by
    content, without decoding pixels or drawing pages (cheap enough for a
    request).

    Raises ValidationError with a message the customer can act on. Leaves
    ``upload`` rewound.
    """
    if upload.size > settings.PRESCRIPTION_MAX_UPLOAD_BYTES:
        limit_mb = settings.PRESCRIPTION_MAX_UPLOAD_BYTES // (1024 * 1024)
        raise ValidationError(f"The file is too large. The limit is {limit_mb} MB.")
    if upload.size == 0:
        raise ValidationError("The file is empty.")
    upload.seek(0)
    try:
        data = upload.read()
    finally:
        upload.seek(0)
    if data.startswith(b"%PDF-"):
        pdf_check(data=data)
        return CheckedUpload(*PDF_TYPE, content=data)
    kind = image_inspect(data=data)
    return CheckedUpload(*IMAGE_TYPES[kind], content=data)


def upload_finish(*, content_type: str, data: bytes) -> bytes:
    """The slow part, for the task queue: the bytes that may be shown to a
    pharmacist (a re-encoded image, or the PDF once a page has been drawn).
    Raises ValidationError when the file turns out to be unreadable."""
    if content_type == PDF_TYPE[0]:
        _pdfium_check(data=data)
        return data
    return image_reencode(data=data).content


# -- images --------------------------------------------------------------------

_IMAGE_ERRORS = (
    UnidentifiedImageError,
    OSError,
    SyntaxError,
    ValueError,
    Image.DecompressionBombError,
    Image.DecompressionBombWarning,
)


def _image_open(data: bytes) -> Image.Image:
    """Open (read the header of) a JPEG or PNG within the pixel limit; no
    pixel is decoded here."""
    image = Image.open(io.BytesIO(data))
    kind = image.format
    if kind not in IMAGE_TYPES:
        raise ValidationError(NOT_A_PRESCRIPTION_FILE)
    megapixels = image.width * image.height / 1_000_000
    if image.width * image.height > MAX_IMAGE_PIXELS[kind]:
        limit = MAX_IMAGE_PIXELS[kind] // 1_000_000
        raise ValidationError(
            f"This image is {megapixels:.0f} megapixels, more than the "
            f"{limit} we accept. Please upload a smaller photo or scan (a phone "
            "camera's normal setting is fine)."
        )
    return image


def image_inspect(*, data: bytes) -> str:
    """The quick check of an image: its type and size from the header, and its
    structure (chunk checksums, markers) without decoding its pixels."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with _image_open(data) as image:
                kind = image.format
                image.verify()
    except _IMAGE_ERRORS as exc:
        raise ValidationError(NOT_A_PRESCRIPTION_FILE) from exc
    return kind


def image_reencode(*, data: bytes) -> CheckedUpload:
    """Decode a JPEG or PNG and encode its pixels afresh, and nothing else."""
    try:
        with warnings.catch_warnings():
            # A header claiming a huge image is refused, never decoded.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with _image_open(data) as image:
                kind = image.format
                # Orientation first (it reads EXIF), then the size, which for a
                # JPEG also asks the decoder for the smaller size directly.
                image.thumbnail((MAX_IMAGE_SIDE, MAX_IMAGE_SIDE))
                upright = ImageOps.exif_transpose(image)
                pixels = _plain_pixels(upright, kind=kind)
    except _IMAGE_ERRORS as exc:
        raise ValidationError(NOT_A_PRESCRIPTION_FILE) from exc
    buffer = io.BytesIO()
    if kind == "JPEG":
        pixels.save(buffer, format="JPEG", quality=JPEG_QUALITY)
    else:
        pixels.save(buffer, format="PNG")
    return CheckedUpload(*IMAGE_TYPES[kind], content=buffer.getvalue())


def _plain_pixels(image: Image.Image, *, kind: str) -> Image.Image:
    """A new image holding only the pixels: no info dict, so no EXIF, colour
    profile or text chunk can ride along into the saved file."""
    if kind == "JPEG":
        mode = "L" if image.mode == "L" else "RGB"
    elif image.mode in ("RGB", "RGBA", "L", "LA"):
        mode = image.mode
    else:
        has_alpha = "A" in image.mode or "transparency" in image.info
        mode = "RGBA" if has_alpha else "RGB"
    converted = image if image.mode == mode else image.convert(mode)
    return Image.frombytes(mode, converted.size, converted.tobytes())


# -- PDFs ----------------------------------------------------------------------


class _PdfRefused(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def pdf_check(*, data: bytes) -> None:
    """Refuse a PDF that does not parse, or that could do anything but show
    its pages (the quick part: no page is drawn). Raises ValidationError;
    returns None for an acceptable PDF."""
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise ValidationError(
                "This PDF is password-protected. Please upload a copy without a "
                "password, or a photo or scan of the prescription."
            )
        pages = len(reader.pages)
        _pdf_walk(reader)
    except _PdfRefused as refused:
        logger.info("Prescription PDF refused: %s", refused.reason)
        raise ValidationError(PDF_REFUSED[refused.reason] + PDF_REFUSED_HINT) from None
    except (PyPdfError, ValueError, TypeError, KeyError, RecursionError) as exc:
        raise ValidationError(PDF_UNREADABLE) from exc
    if pages == 0:
        raise ValidationError("This PDF has no pages.")
    if pages > MAX_PDF_PAGES:
        raise ValidationError(
            f"This PDF has {pages} pages. A prescription PDF can have at most "
            f"{MAX_PDF_PAGES}."
        )


def _pdf_walk(reader: PdfReader) -> None:
    """Visit every object reachable from the trailer, refusing active content
    wherever it hides: the document's names tree, an OpenAction, a page's or
    annotation's actions, a form field."""
    stack = [reader.trailer]
    seen: set[tuple[int, int]] = set()
    visited = 0
    while stack:
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            key = (obj.idnum, obj.generation)
            if key in seen:
                continue
            seen.add(key)
            obj = obj.get_object()
        visited += 1
        if visited > MAX_PDF_OBJECTS:
            raise ValueError("too many objects")
        if isinstance(obj, DictionaryObject):
            _pdf_dictionary_check(obj)
            stack.extend(obj.values())
        elif isinstance(obj, ArrayObject):
            stack.extend(obj)


def _pdf_dictionary_check(obj: DictionaryObject) -> None:
    # pypdf decodes escaped names (/J#53 is /JS), so these compare as written.
    keys = set(obj.keys())
    action = obj.get("/S")
    if keys & {"/JS", "/JavaScript"} or action == "/JavaScript":
        raise _PdfRefused("javascript")
    if action == "/Launch" or "/Launch" in keys:
        raise _PdfRefused("launch")
    if (
        keys & {"/EmbeddedFiles", "/EF"}
        or obj.get("/Subtype") == "/FileAttachment"
        or obj.get("/Type") == "/EmbeddedFile"
    ):
        raise _PdfRefused("embedded")


def _pdfium_check(*, data: bytes) -> None:
    """The renderer the pharmacist's page images come from must agree that
    this is a PDF with the pages pypdf found, and draw the first one."""
    pages = len(PdfReader(io.BytesIO(data), strict=False).pages)
    with PDFIUM_LOCK:
        try:
            document = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            raise ValidationError(PDF_UNREADABLE) from exc
        try:
            if len(document) != pages:
                raise ValidationError(PDF_UNREADABLE)
            page = document[0]
            try:
                # Small: this only proves the page can be drawn.
                longest = max(page.get_size()) or 1
                page.render(scale=min(0.25, 600 / longest)).close()
            finally:
                page.close()
        except pdfium.PdfiumError as exc:
            raise ValidationError(PDF_UNREADABLE) from exc
        finally:
            document.close()
