"""An upload is held unseen until the task queue has re-encoded it: the
pharmacist's page says so, its file URL answers 404, and finishing (or the
sweep for a lost task) makes it visible; a file that turns out unreadable
says so instead."""

import datetime
import io

from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from checkout.dispensing import upload_finishing
from checkout.dispensing.models import FileState, Prescription
from checkout.dispensing.storage import prescription_storage
from tests.integration.checkout.dispensing.admin.conftest import (
    html,
    order_for,
    review_url,
)


def jpeg(size=(400, 300)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, "white").save(buf, format="JPEG", comment=b"Alex's phone")
    return buf.getvalue()


def held(order, content: bytes) -> Prescription:
    """The order's prescription as the request left it: raw bytes, held."""
    prescription = Prescription.objects.get(order=order)
    prescription.file.save("upload.jpg", ContentFile(content), save=False)
    prescription.file_content_type = "image/jpeg"
    prescription.file_state = FileState.CHECKING
    prescription.save()
    return prescription


def file_url(prescription) -> str:
    return reverse("admin:checkout_prescription_file", args=[prescription.pk])


def test_a_held_upload_is_never_served_and_the_page_says_it_is_being_checked(
    rx_drug, pharmacist_client
):
    prescription = held(order_for(rx_drug), jpeg())

    page = html(pharmacist_client.get(review_url(prescription.order)))

    assert "still being checked" in page
    assert file_url(prescription) not in page
    assert pharmacist_client.get(file_url(prescription)).status_code == 404


def test_finishing_replaces_the_held_bytes_and_shows_the_image(
    rx_drug, pharmacist_client
):
    prescription = held(order_for(rx_drug), jpeg())
    held_name = prescription.file.name

    state = upload_finishing.prescription_file_finish(prescription_id=prescription.pk)

    prescription.refresh_from_db()
    assert state == FileState.READY == prescription.file_state
    assert not prescription_storage().exists(held_name)
    response = pharmacist_client.get(file_url(prescription))
    assert response.status_code == 200
    assert b"Alex's phone" not in response.content
    assert file_url(prescription) in html(
        pharmacist_client.get(review_url(prescription.order))
    )
    # A second run (a redelivered task) changes nothing.
    assert (
        upload_finishing.prescription_file_finish(prescription_id=prescription.pk)
        is None
    )


def test_an_unreadable_upload_asks_the_pharmacist_for_another(
    rx_drug, pharmacist_client
):
    content = jpeg()
    prescription = held(order_for(rx_drug), content[: len(content) // 2])

    upload_finishing.prescription_file_finish(prescription_id=prescription.pk)

    prescription.refresh_from_db()
    assert prescription.file_state == FileState.UNREADABLE
    page = html(pharmacist_client.get(review_url(prescription.order)))
    assert "could not be read" in page
    assert pharmacist_client.get(file_url(prescription)).status_code == 404


def test_the_sweep_finishes_an_upload_whose_task_was_lost(rx_drug):
    recent = held(order_for(rx_drug), jpeg())
    lost = held(order_for(rx_drug), jpeg())
    Prescription.objects.filter(pk=lost.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=1)
    )

    assert upload_finishing.stale_uploads_finish() == 1

    assert Prescription.objects.get(pk=lost.pk).file_state == FileState.READY
    assert Prescription.objects.get(pk=recent.pk).file_state == FileState.CHECKING


def test_a_task_for_an_upload_since_removed_does_nothing(rx_drug):
    prescription = held(order_for(rx_drug), jpeg())
    Prescription.objects.filter(pk=prescription.pk).delete()

    assert (
        upload_finishing.prescription_file_finish(prescription_id=prescription.pk)
        is None
    )
