"""The label PDF read back: every field, the FDA statement, the patient's
part first in large type, the outer label without the drug; the accessible
label behind a signed, expiring link; each view in the access log."""

import datetime
import io
import re

import pdfplumber
import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from catalog.cautions import cautions_ensure
from catalog.models import DrugCaution, MonographSection
from checkout.dispensing.labels import content, links
from checkout.dispensing.models import HealthDataAccess, PrescriptionRecord
from checkout.dispensing.stock.models import Fill
from checkout.orders import actions
from tests.integration.checkout.dispensing.stock.conftest import TODAY, in_days, lot


@pytest.fixture
def filled(approved, pharmacist, pack, drug):
    cautions_ensure(drug=drug, caution_model=DrugCaution)
    MonographSection.objects.create(
        drug=drug, position=20, anchor="storage", title="Storage", body="Keep cool."
    )
    MonographSection.objects.create(
        drug=drug, position=21, anchor="dosage", title="Dosage", body="Take as told."
    )
    PrescriptionRecord.objects.filter(prescription__order=approved).update(
        purpose="muscle stiffness"
    )
    chosen = lot(pack, pharmacist, ndc="9920700101", lot_number="LOT-A7")
    line = approved.lines.get()
    actions.order_fill(order=approved, actor=pharmacist, picks={line.pk: chosen.pk})
    return Fill.objects.get(order=approved)


def pdf_pages(response) -> list:
    assert response["Content-Type"] == "application/pdf"
    return pdfplumber.open(io.BytesIO(response.content)).pages


def test_the_label_has_every_field_and_the_fda_statement(filled, pharmacist_client):
    order = filled.order
    url = reverse("admin:checkout_queueorder_label", args=[order.pk])

    label_page, outer = pdf_pages(pharmacist_client.get(url))

    text = " ".join(label_page.extract_text().split())
    record = PrescriptionRecord.objects.get(prescription__order=order)
    rx_expires = record.date_written + datetime.timedelta(days=365)
    for expected in (
        "Demo Pharmacy",  # the settings' name, address and phone
        "123 Example Street",
        "+1 555 0100",
        f"Rx number: RX-{record.pk:06d}",
        f"Date filled: {TODAY:%Y-%m-%d}",
        order.patient.full_name,
        "Prescriber: Dr Jane Smith",
        "Baclofen 10 mg tablets",
        "Quantity: 60 tablets",
        "Take 1 tablet by mouth three times a day.",
        "For muscle stiffness",
        "Refills left: 1",
        f"Prescription expires: {rx_expires:%Y-%m-%d}",
        f"Discard after: {min(in_days(400), in_days(365)):%Y-%m-%d}",
        "NDC: 99207-001-01",
        "Lot: LOT-A7",
        "May cause drowsiness",
        "Do not drink alcohol",
        "Do not stop taking this medicine suddenly",
        "You may report side effects to FDA at 1-800-FDA-1088.",
    ):
        assert expected in text, expected


def test_the_patients_part_comes_first_in_at_least_12_point(filled, pharmacist_client):
    url = reverse("admin:checkout_queueorder_label", args=[filled.order.pk])
    label_page = pdf_pages(pharmacist_client.get(url))[0]

    lines = label_page.extract_text_lines()
    patient = [filled.order.patient.full_name, "Baclofen 10 mg tablets"]
    assert [line["text"] for line in lines[:2]] == patient
    for line in lines[:4]:  # name, drug, directions, purpose
        assert min(char["size"] for char in line["chars"]) >= 12, line["text"]
    assert max(c["size"] for c in lines[5]["chars"]) < 12


def test_the_outer_label_names_no_drug(filled, pharmacist_client):
    url = reverse("admin:checkout_queueorder_label", args=[filled.order.pk])
    outer = pdf_pages(pharmacist_client.get(url))[1].extract_text()

    assert "1 Main Street" in outer
    assert filled.order.number in outer
    assert not re.search(r"baclofen|mg|tablet|Brandex", outer, re.I)


def test_the_paperwork_has_the_packing_slip_and_the_leaflet(filled, pharmacist_client):
    url = reverse("admin:checkout_queueorder_paperwork", args=[filled.order.pk])
    text = " ".join(
        " ".join(page.extract_text().split())
        for page in pdf_pages(pharmacist_client.get(url))
    )

    for expected in (
        f"Packing slip: order {filled.order.number}",
        filled.order.lines.get().title,
        "Call our pharmacist +1 555 0100",
        "How to store this medicine Keep cool.",
        "Does it look different from last time?",
        "About your medicine: Baclofen 10 mg tablets",
        "Dosage Take as told.",
    ):
        assert expected in text, expected


def test_each_printed_label_is_in_the_access_log(filled, pharmacist_client, pharmacist):
    pharmacist_client.get(
        reverse("admin:checkout_queueorder_label", args=[filled.order.pk])
    )

    assert HealthDataAccess.objects.filter(
        user=pharmacist, order=filled.order, subject="dispensing_label"
    ).exists()


def test_the_qr_link_opens_the_accessible_label_and_carries_no_health_data(filled):
    link = links.label_link(fill_id=filled.pk)
    path = link.split("//", 1)[1].split("/", 1)[1]

    page = Client().get("/" + path)

    assert page.status_code == 200
    html = page.content.decode()
    assert filled.order.patient.full_name in html
    assert content.FDA_STATEMENT in html
    for secret in (filled.order.patient.full_name.split()[0], filled.order.number):
        assert secret not in link
    assert page["Cache-Control"].startswith("max-age=0")


def test_a_forged_or_expired_label_link_is_404(filled):
    link = links.label_link(fill_id=filled.pk)
    path = "/" + link.split("//", 1)[1].split("/", 1)[1]
    forged = reverse("dispensing-label", kwargs={"token": "1:forged:sig"})

    assert Client().get(forged).status_code == 404
    with time_machine.travel(datetime.datetime.now() + datetime.timedelta(days=400)):
        assert Client().get(path).status_code == 404
