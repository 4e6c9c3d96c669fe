"""Prescriptions left in checkouts that never became orders are deleted after
7 days, files and all; placed orders' prescriptions never are."""

import datetime
import logging
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone

from checkout.dispensing import prescription_pages, prescriptions
from checkout.dispensing.abandoned_uploads import (
    CleanupCounts,
    abandoned_uploads_delete,
)
from checkout.dispensing.models import Prescription, StoredFile
from checkout.dispensing.storage import prescription_storage
from checkout.orders.models import CheckoutAttempt
from tests.checkout_helpers import (
    basket_with,
    checkout_attempt,
    pdf_upload,
    place_order,
    png_upload,
)

DAY = datetime.timedelta(days=1)
HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def pack(drug, private_root):
    return drug.product.children.order_by("pk").first()


def left_in_checkout(pack) -> Prescription:
    """A shopper uploads a prescription and walks away before "Place order"."""
    basket = basket_with(product=pack)
    upload = png_upload()
    prescriptions.prescription_save(
        basket=basket,
        data={"source": "upload", "file": upload},
        upload_kind=prescriptions.prescription_upload_check(upload=upload),
    )
    return Prescription.objects.get(basket=basket)


def is_stored(prescription) -> bool:
    return prescription_storage().exists(prescription.file.name)


def test_an_abandoned_upload_goes_after_7_days_with_its_file(pack):
    abandoned = left_in_checkout(pack)
    assert is_stored(abandoned)

    counts = abandoned_uploads_delete(now=timezone.now() + 7 * DAY + DAY / 24)

    assert counts.prescriptions == 1
    assert not Prescription.objects.filter(pk=abandoned.pk).exists()
    assert not is_stored(abandoned)


def test_an_upload_younger_than_7_days_stays(pack):
    recent = left_in_checkout(pack)

    counts = abandoned_uploads_delete(now=timezone.now() + 6 * DAY)

    assert counts.prescriptions == 0
    assert Prescription.objects.filter(pk=recent.pk).exists()
    assert is_stored(recent)


def test_the_number_of_days_is_a_setting(pack, settings):
    settings.PRESCRIPTION_ABANDONED_AFTER_DAYS = 2
    abandoned = left_in_checkout(pack)

    abandoned_uploads_delete(now=timezone.now() + 3 * DAY)

    assert not Prescription.objects.filter(pk=abandoned.pk).exists()


def test_a_placed_orders_prescription_and_its_pages_are_never_deleted(pack):
    order = place_order(product=pack, prescription_file=pdf_upload(pages=1))
    kept = Prescription.objects.get(order=order)
    prescription_pages.render_page(prescription=kept, page_number=1)

    counts = abandoned_uploads_delete(now=timezone.now() + 365 * DAY)

    assert counts == CleanupCounts(0, 0, 0)
    assert is_stored(kept)
    assert prescription_pages.render_page(prescription=kept, page_number=1)


def test_a_checkout_still_waiting_for_its_payment_keeps_its_prescription(pack):
    basket = basket_with(product=pack)
    checkout_attempt(basket=basket)  # "Place order" pressed, card page open
    waiting = Prescription.objects.get(basket=basket)
    # The prescription was uploaded long ago; the payment attempt is fresh.
    later = timezone.now() + 8 * DAY
    Prescription.objects.filter(pk=waiting.pk).update(created_at=later - 8 * DAY)
    CheckoutAttempt.objects.filter(basket=basket).update(created_at=later - DAY / 24)

    assert abandoned_uploads_delete(now=later).prescriptions == 0
    assert is_stored(waiting)

    # Once that attempt is stale too, the prescription goes.
    assert abandoned_uploads_delete(now=later + 8 * DAY).prescriptions == 1


def test_running_twice_deletes_nothing_more(pack):
    left_in_checkout(pack)
    left_in_checkout(pack)
    later = timezone.now() + 8 * DAY

    assert abandoned_uploads_delete(now=later).prescriptions == 2
    assert abandoned_uploads_delete(now=later) == CleanupCounts(0, 0, 0)


def test_a_file_no_row_names_is_swept_once_it_is_old(pack):
    storage = prescription_storage()
    old = storage.save("prescriptions/stale.png", ContentFile(b"left by a failed save"))
    fresh = storage.save(
        "prescriptions/being-saved.png", ContentFile(b"an upload being saved right now")
    )
    StoredFile.objects.filter(name=old).update(created_at=timezone.now() - 8 * DAY)
    kept = left_in_checkout(pack)

    counts = abandoned_uploads_delete()

    assert counts.orphan_files == 1
    assert not storage.exists(old)
    assert storage.exists(fresh)
    assert is_stored(kept)


def test_drawn_pages_of_a_deleted_prescription_are_swept_after_an_hour(pack):
    storage = prescription_storage()
    old = storage.save("prescription-pages/gone/page-1.png", ContentFile(b"png"))
    new = storage.save("prescription-pages/drawing/page-1.png", ContentFile(b"png"))
    StoredFile.objects.filter(name=old).update(created_at=timezone.now() - 2 * HOUR)

    assert abandoned_uploads_delete().orphan_page_caches == 1
    assert not storage.exists(old)
    assert storage.exists(new)


def test_the_log_gives_counts_and_no_health_data(pack, caplog):
    abandoned = left_in_checkout(pack)

    with caplog.at_level(logging.INFO, logger="checkout.dispensing.abandoned_uploads"):
        abandoned_uploads_delete(now=timezone.now() + 8 * DAY)

    (message,) = [r.getMessage() for r in caplog.records]
    assert message.startswith("Abandoned uploads deleted: 1 prescriptions")
    assert abandoned.file.name not in message
    assert "Alex" not in message


def test_the_management_command_deletes_and_reports_counts(pack):
    abandoned = left_in_checkout(pack)
    Prescription.objects.filter(pk=abandoned.pk).update(
        created_at=timezone.now() - 8 * DAY
    )
    out = StringIO()

    call_command("cleanup_abandoned_uploads", stdout=out)
    call_command("cleanup_abandoned_uploads", stdout=out)

    first, second = out.getvalue().splitlines()
    assert first.startswith("Deleted 1 abandoned prescription(s) older than 7 days")
    assert second.startswith("Deleted 0 abandoned prescription(s)")
    assert not is_stored(abandoned)
