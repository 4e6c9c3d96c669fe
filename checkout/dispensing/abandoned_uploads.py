"""Deleting prescriptions from checkouts that never became orders.

A shopper who uploads a prescription and walks away leaves health data behind.
After PRESCRIPTION_ABANDONED_AFTER_DAYS (7) the row, its file and any drawn
pages go. Run by a scheduler (docs/operations.md); safe to run again at any
time, and a run that finds nothing does nothing.
"""

import datetime
import logging
from pathlib import PurePosixPath
from typing import NamedTuple

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.utils import timezone

from checkout.dispensing import prescription_pages
from checkout.dispensing.models import Prescription
from checkout.dispensing.storage import prescription_storage
from checkout.orders.models import CheckoutAttempt

logger = logging.getLogger(__name__)

UPLOAD_FOLDER = "prescriptions"


class CleanupCounts(NamedTuple):
    prescriptions: int  # rows deleted, each with its file
    orphan_files: int  # files no row points at (a half-finished upload)
    orphan_page_caches: int  # drawn pages of a prescription that is gone


def abandoned_uploads_delete(*, now: datetime.datetime | None = None) -> CleanupCounts:
    """Delete prescriptions (rows, files, page images) of checkouts that never
    became orders and are older than the configured number of days.

    A checkout whose payment is still pending on a newer attempt is left
    alone, so a late Stripe confirmation still finds its prescription.
    """
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.PRESCRIPTION_ABANDONED_AFTER_DAYS)
    paying = CheckoutAttempt.objects.filter(
        basket_id=OuterRef("basket_id"),
        status=CheckoutAttempt.Status.PENDING,
        created_at__gte=cutoff,
    )
    abandoned = Prescription.objects.filter(
        order__isnull=True, created_at__lt=cutoff
    ).exclude(Exists(paying))
    deleted = 0
    for prescription in abandoned.iterator():
        prescription_pages.page_cache_delete(prescription)
        file = prescription.file
        # The row first: a file left by a failed delete is swept as an orphan.
        Prescription.objects.filter(pk=prescription.pk).delete()
        if file:
            file.delete(save=False)
        deleted += 1
    counts = CleanupCounts(
        prescriptions=deleted,
        orphan_files=_orphan_files_delete(cutoff=cutoff),
        orphan_page_caches=_orphan_page_caches_delete(now=now),
    )
    logger.info(
        "Abandoned uploads deleted: %d prescriptions, %d orphan files, "
        "%d orphan page caches",
        *counts,
    )
    return counts


def _stored_stems() -> set[str]:
    names = Prescription.objects.exclude(file="").values_list("file", flat=True)
    return {PurePosixPath(name).stem for name in names}


def _orphan_files_delete(*, cutoff: datetime.datetime) -> int:
    """Files under prescriptions/ that no row names, stored before the cutoff
    (a newer one may belong to an upload being saved right now)."""
    storage = prescription_storage()
    known = _stored_stems()
    removed = 0
    for file_name in storage.listdir(UPLOAD_FOLDER)[1]:
        name = f"{UPLOAD_FOLDER}/{file_name}"
        if PurePosixPath(name).stem in known:
            continue
        if storage.get_created_time(name) < cutoff:
            storage.delete(name)
            removed += 1
    return removed


def _orphan_page_caches_delete(*, now: datetime.datetime) -> int:
    """Drawn pages whose prescription row is gone. Pages are drawn only for
    placed orders, so these are rare; an hour's grace covers a page being
    drawn while its prescription was being replaced."""
    storage = prescription_storage()
    known = _stored_stems()
    grace = now - datetime.timedelta(hours=1)
    removed = 0
    for stem in storage.listdir(prescription_pages.CACHE_FOLDER)[0]:
        folder = f"{prescription_pages.CACHE_FOLDER}/{stem}"
        if stem in known:
            continue
        pages = storage.listdir(folder)[1]
        if all(storage.get_created_time(f"{folder}/{page}") < grace for page in pages):
            prescription_pages.folder_delete(folder)
            removed += 1
    return removed
