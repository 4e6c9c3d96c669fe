"""Prescription files kept on disk before they moved into the database come
in under their own names, byte for byte, and the pharmacist still sees them."""

import importlib
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from checkout.dispensing.models import (
    AccessSubject,
    HealthDataAccess,
    Prescription,
    StoredFile,
)
from checkout.dispensing.storage import prescription_storage
from pharmacy.staff.groups import staff_groups_ensure
from pharmacy.staff.roles import PHARMACISTS
from tests.checkout_helpers import place_order, png_upload
from tests.factories import UserFactory

# As the old disk storage laid them out: uploads, and the pages drawn from a PDF.
OLD_FILES = {
    "prescriptions/1f0c.png": png_upload().read(),
    "prescriptions/9ab2.pdf": b"%PDF-1.4 two pages\n",
    "prescription-pages/9ab2/page-1.png": b"\x89PNG page one",
    "prescription-pages/9ab2/page-2.png": b"\x89PNG page two",
}


@pytest.fixture
def old_disk(private_root):
    for name, data in OLD_FILES.items():
        path = private_root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return private_root


def stored() -> dict[str, bytes]:
    return {f.name: bytes(f.content) for f in StoredFile.objects.all()}


def run_import(*args) -> str:
    out = StringIO()
    call_command("prescription_files_import", *args, stdout=out)
    return out.getvalue()


def test_every_file_on_disk_is_stored_byte_for_byte(old_disk, db):
    assert run_import().startswith("Imported 4 file(s); 0 already stored")

    assert stored() == OLD_FILES
    for name, data in OLD_FILES.items():
        assert prescription_storage().size(name) == len(data)
        assert (old_disk / name).read_bytes() == data  # kept until --remove
    assert StoredFile.objects.get(name="prescriptions/9ab2.pdf").content_type == (
        "application/pdf"
    )


def test_importing_again_changes_nothing(old_disk, db):
    run_import()
    before = list(StoredFile.objects.values_list("pk", "name", "created_at"))

    assert run_import().startswith("Imported 0 file(s); 4 already stored")
    assert list(StoredFile.objects.values_list("pk", "name", "created_at")) == before


def test_remove_deletes_disk_copies_only_once_stored(old_disk, db):
    assert "4 removed from disk" in run_import("--remove")

    assert stored() == OLD_FILES
    assert [p for p in old_disk.rglob("*") if p.is_file()] == []


def test_a_stored_file_with_other_bytes_is_never_overwritten(old_disk, db):
    StoredFile.objects.create(name="prescriptions/1f0c.png", content=b"other", size=5)

    with pytest.raises(CommandError, match="1 file"):
        run_import("--remove")

    assert stored()["prescriptions/1f0c.png"] == b"other"
    assert (old_disk / "prescriptions/1f0c.png").read_bytes() == OLD_FILES[
        "prescriptions/1f0c.png"
    ]


def test_the_migration_moves_the_files_in(old_disk, db):
    migration = importlib.import_module(
        "checkout.migrations.0011_prescription_files_into_database"
    )

    migration.files_in(apps, schema_editor=None)

    assert stored() == OLD_FILES


def test_the_pharmacist_sees_an_imported_prescription_and_the_view_is_recorded(
    private_root, drug
):
    order = place_order(product=drug.product.children.order_by("pk").first())
    prescription = Prescription.objects.get(order=order)
    # The file as it was before the move: on disk, not in the database.
    data = bytes(StoredFile.objects.get(name=prescription.file.name).content)
    StoredFile.objects.all().delete()
    (private_root / "prescriptions").mkdir(parents=True)
    (private_root / prescription.file.name).write_bytes(data)
    pharmacist = UserFactory(is_staff=True)
    pharmacist.groups.add(staff_groups_ensure()[PHARMACISTS])
    client = Client()
    client.force_login(pharmacist)
    url = reverse("admin:checkout_prescription_file", args=[prescription.pk])
    assert client.get(url).status_code == 404

    run_import()

    response = client.get(url)
    assert response.status_code == 200
    assert response.content == data
    assert HealthDataAccess.objects.filter(
        user=pharmacist, subject=AccessSubject.PRESCRIPTION_FILE
    ).exists()
