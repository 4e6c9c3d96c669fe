"""A PDF prescription as page images, rendered on the server with PDFium.

The pharmacist's browser never opens the PDF itself: each page is drawn to a
PNG here and the PNG is what the admin serves. Rendered pages are kept in the
prescriptions storage (the database) next to the prescriptions, under the
stored file's random name, and deleted with the prescription.
"""

import contextlib
import io
import threading
from pathlib import PurePosixPath

import pypdfium2 as pdfium
from django.core.files.base import ContentFile

from checkout.dispensing.models import Prescription
from checkout.dispensing.storage import prescription_storage

PDF_CONTENT_TYPE = "application/pdf"
CACHE_FOLDER = "prescription-pages"
# 150 dots per inch reads comfortably on screen and zoomed; a page drawn at a
# silly size (a poster) is scaled down so its longer side fits this.
RENDER_DPI = 150
MAX_SIDE_PX = 2400
# PDFium is not thread-safe; one page at a time per process.
PDFIUM_LOCK = threading.Lock()


class PageUnavailable(Exception):
    """No such page, or the prescription is not a PDF, or the file is gone."""


def is_pdf(prescription: Prescription) -> bool:
    return bool(prescription.file) and (
        prescription.file_content_type == PDF_CONTENT_TYPE
    )


def _pdf_bytes(prescription: Prescription) -> bytes:
    if not is_pdf(prescription):
        raise PageUnavailable("not a PDF")
    try:
        with prescription_storage().open(prescription.file.name, "rb") as handle:
            return handle.read()
    except OSError as exc:
        raise PageUnavailable("file missing from storage") from exc


def page_count(prescription: Prescription) -> int:
    """How many page images the prescription has: the PDF's pages, 1 for an
    uploaded image, 0 when there is no file (prescriber's details only)."""
    if not prescription.file:
        return 0
    if not is_pdf(prescription):
        return 1
    try:
        data = _pdf_bytes(prescription)
    except PageUnavailable:
        return 0
    with PDFIUM_LOCK:
        try:
            document = pdfium.PdfDocument(data)
        except pdfium.PdfiumError:
            return 0
        try:
            return len(document)
        finally:
            document.close()


def cache_folder(prescription: Prescription) -> str:
    """The storage folder of a prescription's drawn pages."""
    return f"{CACHE_FOLDER}/{PurePosixPath(prescription.file.name).stem}"


def render_page(*, prescription: Prescription, page_number: int) -> bytes:
    """The PNG of one page (1-based), from the cache or drawn now.

    Raises PageUnavailable for a page the PDF does not have.
    """
    if page_number < 1:
        raise PageUnavailable("no such page")
    if not is_pdf(prescription):
        raise PageUnavailable("not a PDF")
    storage = prescription_storage()
    cached = f"{cache_folder(prescription)}/page-{page_number}.png"
    with contextlib.suppress(FileNotFoundError), storage.open(cached, "rb") as handle:
        return handle.read()
    png = _draw(data=_pdf_bytes(prescription), page_number=page_number)
    # FileExistsError: another pharmacist drew the same page a moment ago.
    with contextlib.suppress(FileExistsError):
        storage.save(cached, ContentFile(png))
    return png


def _draw(*, data: bytes, page_number: int) -> bytes:
    with PDFIUM_LOCK:
        try:
            document = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            raise PageUnavailable("unreadable PDF") from exc
        try:
            if page_number > len(document):
                raise PageUnavailable("no such page")
            page = document[page_number - 1]
            try:
                width, height = page.get_size()
                scale = min(RENDER_DPI / 72, MAX_SIDE_PX / max(width, height, 1))
                bitmap = page.render(scale=scale, may_draw_forms=True)
                try:
                    image = bitmap.to_pil()
                finally:
                    bitmap.close()
            finally:
                page.close()
        finally:
            document.close()
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, format="PNG", optimize=False)
    return buffer.getvalue()


def page_cache_delete(prescription: Prescription) -> None:
    """Forget the rendered pages of a prescription (safe to call twice)."""
    if prescription.file:
        folder_delete(cache_folder(prescription))


def folder_delete(folder: str) -> None:
    storage = prescription_storage()
    for name in storage.listdir(folder)[1]:
        storage.delete(f"{folder}/{name}")
