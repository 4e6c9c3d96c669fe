"""The prescription step through the real views: what is stored of an upload,
and the message a shopper sees for a PDF we refuse."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import ExifTags, Image

from checkout.dispensing.models import Prescription
from checkout.dispensing.storage import prescription_storage
from tests import pdfs
from tests.factories import reference_data_ensure
from tests.integration.checkout.test_checkout_steps import (
    field_errors,
    to_prescription_step,
)


@pytest.fixture(autouse=True)
def _fresh_media(db, private_root, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    # An earlier transactional test may have flushed the US shipping country.
    reference_data_ensure()


def upload_step(client, name: str, content: bytes, content_type: str):
    return client.post(
        reverse("checkout:prescription"),
        {
            "source": "upload",
            "file": SimpleUploadedFile(name, content, content_type=content_type),
        },
    )


def stored_bytes() -> bytes:
    prescription = Prescription.objects.get()
    with prescription_storage().open(prescription.file.name, "rb") as handle:
        return handle.read()


def test_a_png_with_a_zip_appended_is_stored_as_the_image_alone(
    client, drug, django_capture_on_commit_callbacks
):
    image = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(image, format="PNG")
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("run.js", "alert(1)")
    to_prescription_step(client, drug)

    with django_capture_on_commit_callbacks(execute=True):
        response = upload_step(
            client, "rx.png", image.getvalue() + archive.getvalue(), "image/png"
        )

    assert response.status_code == 302
    stored = stored_bytes()
    assert b"PK\x03\x04" not in stored
    assert b"run.js" not in stored
    assert Image.open(io.BytesIO(stored)).size == (40, 30)


def test_a_phone_photo_is_stored_without_its_gps_position(
    client, drug, django_capture_on_commit_callbacks
):
    exif = Image.Exif()
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (40.0, 44.0, 55.0)
    photo = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(photo, format="JPEG", exif=exif.tobytes())
    to_prescription_step(client, drug)

    with django_capture_on_commit_callbacks(execute=True):
        upload_step(client, "IMG_0001.jpg", photo.getvalue(), "image/jpeg")

    stored = stored_bytes()
    assert b"Exif" not in stored
    assert not Image.open(io.BytesIO(stored)).getexif()
    assert Prescription.objects.get().file_content_type == "image/jpeg"


def test_a_plain_pdf_is_accepted(client, drug):
    to_prescription_step(client, drug)

    response = upload_step(client, "rx.pdf", pdfs.pdf_bytes(), "application/pdf")

    assert response.status_code == 302
    assert Prescription.objects.get().file_content_type == "application/pdf"


REFUSED = {
    "javascript": (pdfs.pdf_with_javascript_open_action(), "contains JavaScript"),
    "launch action": (pdfs.pdf_with_launch_action(), "starts another program"),
    "embedded file": (pdfs.pdf_with_embedded_file(), "other files attached"),
    "not a pdf after the header": (b"%PDF-1.7\n" + b"junk" * 50, "read this PDF"),
}


@pytest.mark.parametrize(("content", "says"), REFUSED.values(), ids=REFUSED)
def test_a_hostile_pdf_is_refused_next_to_the_field_and_nothing_kept(
    client, drug, private_root, content, says
):
    to_prescription_step(client, drug)

    response = upload_step(client, "rx.pdf", content, "application/pdf")

    assert response.status_code == 200
    assert says in field_errors(response, "file")
    assert not Prescription.objects.exists()
    assert not list(private_root.rglob("*.pdf"))
