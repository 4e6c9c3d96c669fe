"""The pharmacy's checkout steps through the real views: patient, prescription,
payment and "Place order", including the ways a shopper (or an attacker) can
stray from the happy path."""

import datetime
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from oscar.apps.order.models import Order
from PIL import Image

from catalog.models import Strength
from catalog.partner.models import StockRecord
from checkout.dispensing.models import PatientDetails, Prescription, StoredFile
from checkout.orders.models import CheckoutAttempt
from tests.checkout_helpers import ADDRESS, ADULT_DOB, png_upload
from tests.factories import strength_switch

VALID_NPI = "1234567893"


@pytest.fixture(autouse=True)
def _fresh_media(private_root, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"


def add_url(product) -> str:
    return reverse(
        "catalogue:add-variant", kwargs={"product_slug": product.slug, "pk": product.pk}
    )


def redirects_to(response, name: str) -> bool:
    return response.status_code == 302 and response["Location"] == reverse(name)


def to_patient_step(client, drug, *, strength="10", pack="30") -> list:
    """Basket, guest email, address and delivery method, each step checked."""
    responses = [
        client.post(
            add_url(drug.product), {"strength": strength, "pack": pack, "quantity": 1}
        ),
        client.post(
            reverse("checkout:index"),
            {"username": "guest@example.com", "options": "anonymous"},
        ),
        client.post(reverse("checkout:shipping-address"), ADDRESS),
        client.post(reverse("checkout:shipping-method"), {"method_code": "standard"}),
    ]
    assert redirects_to(responses[-1], "checkout:patient"), responses[-1]
    return responses


def patient_step(client, **overrides):
    data = {
        "full_name": "Alex Rivera",
        "date_of_birth": ADULT_DOB.isoformat(),
        "allergies": "Penicillin",
        "current_medicines": "Sertraline 50 mg",
        "counselling": "no",
        **overrides,
    }
    return client.post(reverse("checkout:patient"), data)


def to_prescription_step(client, drug) -> list:
    responses = to_patient_step(client, drug)
    responses.append(patient_step(client))
    assert redirects_to(responses[-1], "checkout:prescription"), responses[-1]
    return responses


def to_preview(client, drug, *, prescription=None) -> list:
    responses = to_prescription_step(client, drug)
    responses.append(
        client.post(
            reverse("checkout:prescription"),
            prescription or {"source": "upload", "file": png_upload()},
        )
    )
    assert redirects_to(responses[-1], "checkout:payment-method"), responses[-1]
    responses.append(
        client.post(reverse("checkout:payment-method"), {"method": "invoice"})
    )
    assert redirects_to(responses[-1], "checkout:preview"), responses[-1]
    return responses


def place_order(client):
    return client.post(reverse("checkout:preview"), {"action": "place_order"})


def field_errors(response, field: str) -> str:
    """The error list the template ties to a field (id_<field>_error)."""
    html = response.content.decode()
    found = re.search(rf'<ul[^>]*id="id_{field}_errors?"[^>]*>(.*?)</ul>', html, re.S)
    assert found, f"no errors shown next to {field}"
    return found.group(1)


def files_under(root: Path) -> list[Path]:
    return [p for p in Path(root).rglob("*") if p.is_file()] if root.exists() else []


# -- patient step ----------------------------------------------------------------------


def test_an_under_18_patient_is_refused_on_the_patient_page_and_nothing_is_saved(
    client, drug
):
    to_patient_step(client, drug)
    seventeen = timezone.localdate() - datetime.timedelta(days=365 * 17)

    response = patient_step(client, date_of_birth=seventeen.isoformat())

    assert response.status_code == 200
    assert "aged 18 or over" in field_errors(response, "date_of_birth")
    assert not PatientDetails.objects.exists()
    # And the later steps stay closed.
    assert redirects_to(client.get(reverse("checkout:preview")), "checkout:patient")


def test_the_patient_step_asks_about_counselling_and_keeps_the_answer(client, drug):
    to_patient_step(client, drug)

    response = patient_step(
        client,
        medical_conditions="Mild kidney disease",
        counselling="yes",
        counselling_phone="+1 217 555 0199",
        counselling_best_time="Weekdays after 5 pm",
    )

    assert redirects_to(response, "checkout:prescription")
    patient = PatientDetails.objects.get()
    assert patient.medical_conditions == "Mild kidney disease"
    assert patient.counselling_wanted is True
    assert patient.counselling_phone == "+1 217 555 0199"
    assert patient.counselling_best_time == "Weekdays after 5 pm"


def test_the_counselling_question_must_be_answered_and_yes_needs_a_phone(client, drug):
    to_patient_step(client, drug)

    unanswered = patient_step(client, counselling="")
    no_phone = patient_step(client, counselling="yes")

    assert "choose yes or no" in field_errors(unanswered, "counselling")
    assert "phone number" in field_errors(no_phone, "counselling_phone")
    assert not PatientDetails.objects.exists()


def test_no_thanks_to_counselling_is_kept_without_a_phone(client, drug):
    to_patient_step(client, drug)

    patient_step(client, counselling="no", counselling_phone="+1 217 555 0199")

    patient = PatientDetails.objects.get()
    assert patient.counselling_wanted is False
    assert patient.counselling_phone == ""


def test_a_future_date_of_birth_is_refused(client, drug):
    to_patient_step(client, drug)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    response = patient_step(client, date_of_birth=tomorrow.isoformat())

    assert "can&#x27;t be in the future" in field_errors(response, "date_of_birth")
    assert not PatientDetails.objects.exists()


# -- prescription step -----------------------------------------------------------------


def _image(fmt: str) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (400, 300), "white").save(buf, format=fmt)
    return buf.getvalue()


HOSTILE_UPLOADS = {
    "renamed executable": ("rx.png", b"MZ\x90\x00\x03" + b"\x00" * 300, "image/png"),
    "html posing as a jpeg": (
        "scan.jpg",
        b"<html><script>document.location='https://evil.example/'</script></html>",
        "image/jpeg",
    ),
    "gif": ("rx.gif", _image("GIF"), "image/gif"),
    "truncated png": ("rx.png", _image("PNG")[:500], "image/png"),
    "empty": ("rx.png", b"", "image/png"),
    "11 MB": ("rx.png", _image("PNG") + b"\0" * (11 * 1024 * 1024), "image/png"),
}


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    HOSTILE_UPLOADS.values(),
    ids=HOSTILE_UPLOADS.keys(),
)
def test_the_prescription_step_refuses_hostile_uploads_next_to_the_field(
    client, drug, private_root, name, content, content_type
):
    to_prescription_step(client, drug)

    response = client.post(
        reverse("checkout:prescription"),
        {
            "source": "upload",
            "file": SimpleUploadedFile(name, content, content_type=content_type),
            "prescriber_name": "Dr Jordan Lee",
            "prescriber_phone": "+1 217 555 0199",
        },
    )

    assert response.status_code == 200
    errors = field_errors(response, "file")
    assert any(
        words in errors
        for words in ("JPEG or PNG, or a PDF", "too large", "file is empty")
    ), errors
    # The other answers are kept for the shopper to correct the file.
    form = response.context["form"]
    assert form["source"].value() == "upload"
    assert form["prescriber_name"].value() == "Dr Jordan Lee"
    assert form["prescriber_phone"].value() == "+1 217 555 0199"
    html = response.content.decode()
    assert 'value="Dr Jordan Lee"' in html
    assert PatientDetails.objects.get().full_name == "Alex Rivera"
    # Nothing was kept.
    assert not Prescription.objects.exists()
    assert files_under(private_root) == []
    assert redirects_to(
        client.get(reverse("checkout:payment-method")), "checkout:prescription"
    )


def test_the_prescriber_path_refuses_a_bad_npi_and_accepts_a_good_one(client, drug):
    to_prescription_step(client, drug)
    details = {
        "source": "prescriber",
        "prescriber_name": "Dr Jordan Lee",
        "prescriber_phone": "+1 217 555 0199",
    }

    refused = client.post(
        reverse("checkout:prescription"), {**details, "prescriber_npi": "1234567890"}
    )

    assert refused.status_code == 200
    assert "check digit is wrong" in field_errors(refused, "prescriber_npi")
    assert refused.context["form"]["prescriber_name"].value() == "Dr Jordan Lee"
    assert not Prescription.objects.exists()

    accepted = client.post(
        reverse("checkout:prescription"), {**details, "prescriber_npi": "1234 567 893"}
    )

    assert redirects_to(accepted, "checkout:payment-method")
    prescription = Prescription.objects.get()
    assert prescription.source == Prescription.Source.PRESCRIBER
    assert prescription.prescriber_npi == VALID_NPI
    assert not prescription.file


def test_the_prescriber_path_needs_every_detail(client, drug):
    to_prescription_step(client, drug)

    response = client.post(reverse("checkout:prescription"), {"source": "prescriber"})

    assert response.status_code == 200
    for field in ("prescriber_name", "prescriber_phone", "prescriber_npi"):
        assert "Please enter" in field_errors(response, field)
    assert not Prescription.objects.exists()


def test_the_upload_is_kept_in_the_database_under_a_random_name(
    client, drug, private_root
):
    to_prescription_step(client, drug)

    response = client.post(
        reverse("checkout:prescription"),
        {"source": "upload", "file": png_upload("jane-doe-oxycodone-rx.png")},
    )

    assert redirects_to(response, "checkout:payment-method")
    prescription = Prescription.objects.get()
    stored = StoredFile.objects.get(name=prescription.file.name)
    assert bytes(stored.content)[:8] == b"\x89PNG\r\n\x1a\n"
    assert stored.size == len(stored.content)
    assert stored.content_type == "image/png"
    # Nothing on any disk, public or private.
    assert files_under(Path(settings.MEDIA_ROOT)) == []
    assert files_under(Path(private_root)) == []
    name = Path(stored.name)
    assert "jane" not in name.name and "oxycodone" not in name.name
    assert name.suffix == ".png"
    assert prescription.file_content_type == "image/png"


def test_a_second_upload_replaces_the_first_file(client, drug, private_root):
    to_prescription_step(client, drug)
    client.post(
        reverse("checkout:prescription"), {"source": "upload", "file": png_upload()}
    )
    first = Prescription.objects.get().file.name

    client.post(
        reverse("checkout:prescription"), {"source": "upload", "file": png_upload()}
    )

    second = Prescription.objects.get().file.name
    assert second != first
    assert list(StoredFile.objects.values_list("name", flat=True)) == [second]


# -- no health data leaks --------------------------------------------------------------


def test_no_date_of_birth_or_prescription_file_appears_in_any_page_or_url(client, drug):
    responses = to_preview(
        client,
        drug,
        prescription={"source": "upload", "file": png_upload("alex-rivera-rx.png")},
    )
    responses.append(client.get(reverse("checkout:preview")))
    responses.append(place_order(client))
    responses.append(client.get(responses[-1]["Location"]))
    order = Order.objects.get()
    file_name = order.prescription.file.name
    assert file_name

    secrets = [
        ADULT_DOB.isoformat(),
        ADULT_DOB.strftime("%m/%d/%Y"),
        ADULT_DOB.strftime("%B %d, %Y"),
        ADULT_DOB.strftime("%b. %d, %Y"),
        "May 17, 1980",
        file_name,
        Path(file_name).name,
        "alex-rivera-rx",
        str(settings.PRIVATE_MEDIA_ROOT),
        "Penicillin",
        "Sertraline",
    ]
    assert responses[-1].status_code == 200
    assert order.number in responses[-1].content.decode()
    for response in responses:
        shown = response.content.decode() + response.get("Location", "")
        for secret in secrets:
            assert secret not in shown, (secret, response.request["PATH_INFO"])


# -- step order ------------------------------------------------------------------------


def test_the_preview_redirects_to_the_first_missing_step(client, drug):
    client.post(add_url(drug.product), {"strength": "10", "pack": "30", "quantity": 1})
    assert redirects_to(client.get(reverse("checkout:preview")), "checkout:index")

    to_patient_step(client, drug)
    assert redirects_to(client.get(reverse("checkout:preview")), "checkout:patient")
    assert redirects_to(
        client.get(reverse("checkout:prescription")), "checkout:patient"
    )

    patient_step(client)
    assert redirects_to(
        client.get(reverse("checkout:preview")), "checkout:prescription"
    )
    assert redirects_to(
        client.get(reverse("checkout:payment-method")), "checkout:prescription"
    )

    client.post(
        reverse("checkout:prescription"), {"source": "upload", "file": png_upload()}
    )
    assert redirects_to(
        client.get(reverse("checkout:preview")), "checkout:payment-method"
    )

    client.post(reverse("checkout:payment-method"), {"method": "invoice"})
    assert client.get(reverse("checkout:preview")).status_code == 200


def test_placing_an_order_without_the_steps_is_refused(client, drug):
    to_patient_step(client, drug)

    response = place_order(client)

    assert redirects_to(response, "checkout:patient")
    assert not Order.objects.exists()
    assert not CheckoutAttempt.objects.exists()


def test_card_payment_cannot_be_chosen_when_cards_are_off(client, drug, settings):
    settings.STRIPE_SECRET_KEY = ""
    to_preview(client, drug)

    response = client.post(reverse("checkout:payment-method"), {"method": "card"})

    assert response.status_code == 200
    assert "method" in response.context["form"].errors


# -- placing the order -----------------------------------------------------------------


def test_extra_price_fields_in_the_place_order_post_do_not_change_the_total(
    client, drug
):
    to_preview(client, drug)

    response = client.post(
        reverse("checkout:preview"),
        {
            "action": "place_order",
            "total": "0.01",
            "order_total": "0.01",
            "amount": "0.01",
            "total_incl_tax": "0.01",
            "basket_total": "0.00",
            "shipping_charge": "0.00",
            "price": "0.01",
            "price_incl_tax": "0.01",
            "quantity": "100",
            "currency": "XXX",
        },
    )

    assert redirects_to(response, "checkout:thank-you")
    order = Order.objects.get()
    assert order.total_incl_tax == Decimal("38.70") + Decimal("4.95")
    assert order.currency == "USD"
    assert order.lines.get().quantity == 1
    assert CheckoutAttempt.objects.get().amount == Decimal("43.65")


def test_a_double_place_order_makes_one_order_and_shows_it_twice(client, drug):
    to_preview(client, drug)

    first = place_order(client)
    second = place_order(client)

    assert Order.objects.count() == 1
    assert CheckoutAttempt.objects.count() == 1
    stock = StockRecord.objects.get(product__upc=f"{drug.product.upc}-10-30")
    assert stock.num_allocated == 1
    assert redirects_to(first, "checkout:thank-you")
    # The second click shows the order the first one placed, not an error or
    # an empty basket.
    assert redirects_to(second, "checkout:thank-you")
    thanks = client.get(second["Location"])
    assert thanks.status_code == 200
    assert thanks.context["order"] == Order.objects.get()


def test_a_strength_withdrawn_before_placing_gives_a_clear_message(client, drug):
    to_preview(client, drug)
    strength_switch(drug=drug, mg="10", available=False)

    response = place_order(client)

    assert not Order.objects.exists()
    assert redirects_to(response, "basket:summary")
    page = client.get(response["Location"])
    shown = " ".join(str(m) for m in page.context["messages"])
    assert "is no longer available to buy" in shown
    assert "Baclofen" in shown
    stock = StockRecord.objects.get(product__upc=f"{drug.product.upc}-10-30")
    assert stock.num_allocated in (0, None)


def test_placing_reads_withdrawn_strengths_from_the_database_not_the_cache(
    client, drug
):
    to_preview(client, drug)
    # Withdrawn while the shopper is on the preview page: placing the order
    # checks the strength as the database has it, and refuses.
    Strength.objects.filter(drug=drug, mg=Decimal("10")).update(is_available=False)

    response = place_order(client)

    assert not Order.objects.exists()
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        response = client.get(response["Location"])
    shown = response.content.decode() + " ".join(
        str(m) for m in response.context["messages"]
    )
    assert "is no longer available" in shown
    stock = StockRecord.objects.get(product__upc=f"{drug.product.upc}-10-30")
    assert stock.num_allocated in (0, None)


def test_a_pack_that_sold_out_before_placing_gives_a_clear_message(client, drug):
    to_preview(client, drug)
    StockRecord.objects.filter(product__upc=f"{drug.product.upc}-10-30").update(
        num_in_stock=0
    )

    response = place_order(client)

    assert not Order.objects.exists()
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        response = client.get(response["Location"])
    shown = response.content.decode() + " ".join(
        str(m) for m in response.context["messages"]
    )
    assert "no longer available" in shown or "sold out" in shown
