"""The prescription as the pharmacist sees it: an uploaded image, or the pages
of an uploaded PDF drawn as PNG images on the server. The PDF itself is never
sent to a browser.

Only staff holding checkout.review_prescription see these; anyone else gets a
404 that says nothing about whether the prescription exists. Each image served
is an access record; each refusal is one too (by the denial middleware).

``admin_urls(admin_site)`` gives the URL patterns to include in a ModelAdmin's
get_urls, named ``admin:checkout_prescription_file`` (args [prescription pk])
and ``admin:checkout_prescription_page`` (args [prescription pk, page number
from 1]).
"""

import logging

from django.core.exceptions import SuspiciousFileOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, path, reverse

from checkout.dispensing import prescription_pages
from checkout.dispensing.access_log import health_data_view, record_access
from checkout.dispensing.admin.access import reviewers_only
from checkout.dispensing.models import (
    AccessAction,
    AccessSubject,
    FileState,
    Prescription,
)
from checkout.dispensing.storage import prescription_storage

logger = logging.getLogger(__name__)

# What an uploaded image may be served as; uploads are re-encoded to one of these.
IMAGE_TYPES = {"image/jpeg": ".jpg", "image/png": ".png"}


def _ordered_prescription(pk: int) -> Prescription:
    """A prescription with a checked file, on a placed order (never one still
    in a checkout, nor an upload still held for checking), or 404."""
    prescription = (
        Prescription.objects.filter(
            pk=pk, order__isnull=False, file_state=FileState.READY
        )
        .exclude(file="")
        .select_related("order")
        .first()
    )
    if prescription is None:
        raise Http404
    return prescription


def _private_image(content: bytes, *, content_type: str, filename: str):
    response = HttpResponse(content, content_type=content_type)
    # The order number only: the customer's own file name may be health data.
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


@health_data_view(AccessSubject.PRESCRIPTION_FILE)
def file_view(request: HttpRequest, pk: int) -> HttpResponse:
    """An uploaded image, as stored (re-encoded at upload, never the original)."""
    prescription = _ordered_prescription(pk)
    extension = IMAGE_TYPES.get(prescription.file_content_type)
    if extension is None:
        # A PDF is shown as page images; anything else is never served.
        raise Http404
    try:
        with prescription_storage().open(prescription.file.name, "rb") as handle:
            content = handle.read()
    except (OSError, SuspiciousFileOperation) as exc:
        logger.error("Prescription %s: file missing from storage", pk)
        raise Http404 from exc
    record_access(
        user=request.user,
        order=prescription.order,
        subject=AccessSubject.PRESCRIPTION_FILE,
        action=AccessAction.VIEWED,
        request=request,
    )
    return _private_image(
        content,
        content_type=prescription.file_content_type,
        filename=f"prescription-{prescription.order.number}{extension}",
    )


@health_data_view(AccessSubject.PRESCRIPTION_PAGE)
def page_view(request: HttpRequest, pk: int, page: int) -> HttpResponse:
    """One page of a PDF prescription as a PNG image."""
    prescription = _ordered_prescription(pk)
    try:
        png = prescription_pages.render_page(
            prescription=prescription, page_number=page
        )
    except prescription_pages.PageUnavailable as exc:
        raise Http404 from exc
    record_access(
        user=request.user,
        order=prescription.order,
        subject=AccessSubject.PRESCRIPTION_PAGE,
        action=AccessAction.VIEWED,
        detail=f"page {page}",
        request=request,
    )
    return _private_image(
        png,
        content_type="image/png",
        filename=f"prescription-{prescription.order.number}-page-{page}.png",
    )


def image_urls(prescription: Prescription) -> list[str]:
    """The admin URLs of the images that show this prescription: one per PDF
    page, or the uploaded image, or none (prescriber's details only)."""
    if not prescription.file or prescription.file_state != FileState.READY:
        return []
    if prescription_pages.is_pdf(prescription):
        return [
            reverse("admin:checkout_prescription_page", args=[prescription.pk, n])
            for n in range(1, prescription_pages.page_count(prescription) + 1)
        ]
    return [reverse("admin:checkout_prescription_file", args=[prescription.pk])]


def admin_urls(admin_site) -> list[URLPattern]:
    """URL patterns for a ModelAdmin.get_urls() (they sit under its prefix)."""
    return [
        path(
            "<int:pk>/file/",
            reviewers_only(admin_site.admin_view(file_view)),
            name="checkout_prescription_file",
        ),
        path(
            "<int:pk>/page/<int:page>/",
            reviewers_only(admin_site.admin_view(page_view)),
            name="checkout_prescription_page",
        ),
    ]
