"""Building checkouts and orders for tests through the real services."""

import datetime
import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from oscar.apps.address.models import Country
from oscar.apps.order.models import Order
from PIL import Image

from catalog.partner.strategy import Selector
from checkout.basket.models import Basket
from checkout.dispensing import prescriptions, upload_finishing
from checkout.orders import placing
from checkout.orders.models import CheckoutAttempt
from checkout.payments.states import PaymentMethod
from tests.factories import reference_data_ensure

ADDRESS = {
    "first_name": "Alex",
    "last_name": "Rivera",
    "line1": "1 Main Street",
    "line4": "Springfield",
    "state": "IL",
    "postcode": "62701",
    "phone_number": "+12175550100",
}
ADULT_DOB = datetime.date(1980, 5, 17)


def png_upload(name: str = "rx.png") -> SimpleUploadedFile:
    buf = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(buf, format="PNG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/png")


def pdf_upload(pages: int = 1, name: str = "rx.pdf") -> SimpleUploadedFile:
    from tests.pdfs import pdf_bytes

    return SimpleUploadedFile(name, pdf_bytes(pages), content_type="application/pdf")


def pack_add(client, *, drug, strength: str = "10", pack: str = "30"):
    """Add one pack of the drug through its product page's form."""
    return client.post(
        reverse(
            "catalogue:add-variant",
            kwargs={"product_slug": drug.product.slug, "pk": drug.product.pk},
        ),
        {"strength": strength, "pack": pack, "quantity": 1},
    )


def basket_with(*, product, quantity: int = 1, owner=None) -> Basket:
    basket = Basket.objects.create(owner=owner)
    basket.strategy = Selector().strategy()
    basket.add_product(product, quantity)
    return basket


def checkout_attempt(
    *,
    basket: Basket,
    shipping: str = "standard",
    method: str = PaymentMethod.INVOICE,
    email: str = "guest@example.com",
    with_prescription: bool = True,
    prescription_file: SimpleUploadedFile | None = None,
    prescriber: dict | None = None,
    amount: Decimal | None = None,
) -> CheckoutAttempt:
    """What pressing "Place order" records, built without the views. The
    prescription is a small PNG unless ``prescription_file`` is given, or the
    ``prescriber``'s name, phone and NPI are."""
    basket.strategy = Selector().strategy()
    _, _, total = placing.basket_total(basket=basket, shipping_method_code=shipping)
    prescriptions.patient_details_save(
        basket=basket, data={"full_name": "Alex Rivera", "date_of_birth": ADULT_DOB}
    )
    if prescriber is not None:
        prescriptions.prescription_save(
            basket=basket, data={"source": "prescriber", **prescriber}, upload_kind=None
        )
    elif with_prescription:
        upload = prescription_file or png_upload()
        prescriptions.prescription_save(
            basket=basket,
            data={"source": "upload", "file": upload},
            upload_kind=prescriptions.prescription_upload_check(upload=upload),
        )
        # What the task queue does once the checkout's transaction commits
        # (a test's transaction never does).
        upload_finishing.prescription_file_finish(
            prescription_id=prescriptions.basket_prescription(basket=basket).pk
        )
    basket.freeze()
    reference_data_ensure()
    country = Country.objects.get(iso_3166_1_a2="US")
    return CheckoutAttempt.objects.create(
        basket=basket,
        user=basket.owner,
        guest_email="" if basket.owner else email,
        order_number=str(100000 + basket.pk),
        payment_method=method,
        amount=total.incl_tax if amount is None else amount,
        currency=total.currency,
        shipping_method_code=shipping,
        shipping_address={**ADDRESS, "country_id": country.pk},
    )


def place_order(
    *, product, quantity: int = 1, owner=None, checked: bool = True, **kwargs
):
    """An order awaiting prescription review, placed through placing.order_place.

    ``checked``: also record what a pharmacist records before deciding (a
    complete prescription record matching the order, counselling declined), so
    approving and dispatching it succeed. Pass False to test those refusals.
    """
    basket = basket_with(product=product, quantity=quantity, owner=owner)
    attempt = checkout_attempt(basket=basket, **kwargs)
    order = placing.order_place(attempt_id=attempt.pk)
    if checked and isinstance(order, Order):
        pharmacist_checks_record(order=order)
    return order


def record_data(*, order, **overrides) -> dict:
    """A complete prescription record for exactly what the order holds:
    10 mg three times a day, one refill."""
    from catalog.models import Strength
    from checkout.dispensing.records import ordered_drugs

    lines = ordered_drugs(order=order)
    first = lines[0]
    tablets = sum(line.tablets for line in lines)
    return {
        "prescriber_name": "Dr Jane Smith",
        "prescriber_npi": "1234567893",
        "date_written": datetime.date.today() - datetime.timedelta(days=3),
        "drug": Strength.objects.get(drug_id=first.drug_id, mg=first.strength_mg).drug,
        "strength": Strength.objects.get(drug_id=first.drug_id, mg=first.strength_mg),
        "quantity_prescribed": tablets,
        "directions": "10 mg three times a day",
        "dose_mg": Decimal("10"),
        "doses_per_day": 3,
        "refills_authorised": 1,
        "quantity_left": None,
        **overrides,
    }


def pharmacist_checks_record(*, order, actor=None, **overrides) -> None:
    """What a pharmacist records before deciding, written as rows (no history
    lines, so tests of an order's history see only what they do)."""
    from checkout.dispensing.models import (
        CounsellingRecord,
        Prescription,
        PrescriptionRecord,
    )
    from checkout.dispensing.records import initial_quantity_left, ordered_drugs
    from tests.factories import UserFactory

    prescription = Prescription.objects.filter(order=order).first()
    if prescription is None or not ordered_drugs(order=order):
        return
    actor = actor or UserFactory(username="pharmacist-on-file", is_staff=True)
    data = record_data(order=order, **overrides)
    if data["quantity_left"] is None:
        data["quantity_left"] = initial_quantity_left(
            quantity_prescribed=data["quantity_prescribed"],
            refills_authorised=data["refills_authorised"],
        )
    PrescriptionRecord.objects.create(
        prescription=prescription, entered_by=actor, updated_by=actor, **data
    )
    CounsellingRecord.objects.create(
        order=order, outcome=CounsellingRecord.Outcome.DECLINED, recorded_by=actor
    )


def guest_checkout_to_preview(
    client,
    *,
    product_page_add_url: str,
    strength="10",
    pack="30",
    prescription=None,
    payment="invoice",
):
    """Drive the real checkout views as a guest, up to the preview page."""
    reference_data_ensure()
    client.post(
        product_page_add_url, {"strength": strength, "pack": pack, "quantity": 1}
    )
    client.post(
        reverse("checkout:index"),
        {"username": "guest@example.com", "options": "anonymous"},
    )
    client.post(reverse("checkout:shipping-address"), ADDRESS)
    client.post(reverse("checkout:shipping-method"), {"method_code": "standard"})
    client.post(
        reverse("checkout:patient"),
        {
            "full_name": "Alex Rivera",
            "date_of_birth": ADULT_DOB.isoformat(),
            "counselling": "no",
        },
    )
    client.post(
        reverse("checkout:prescription"),
        prescription or {"source": "upload", "file": png_upload()},
    )
    return client.post(reverse("checkout:payment-method"), {"method": payment})


def lot_of(*, product, actor, packs: int | None = None, days: int = 730, **fields):
    """A lot of ``product``'s pack, received by ``actor``. It holds the pack's
    current stock count unless ``packs`` says otherwise, so receiving it in a
    test leaves the count as the test set it."""
    from checkout.dispensing.stock.models import Lot

    if packs is None:
        packs = product.stockrecords.first().num_in_stock
    today = datetime.date.today()
    values = {
        "ndc": f"99999{product.pk:05d}"[-10:],
        "lot_number": f"T{product.pk}-{Lot.objects.count() + 1}",
        "expires_on": today + datetime.timedelta(days=days),
        "received_on": today,
        "supplier": "Test wholesale",
        **fields,
    }
    return Lot.objects.create(
        product=product,
        quantity_received=packs,
        quantity_left=packs,
        received_by=actor,
        **values,
    )


def fill(*, order, actor):
    """Fill an approved order (the step before dispatch) from a long-dated lot
    of each line's pack, received first if there is none."""
    from checkout.dispensing.stock.models import Lot
    from checkout.orders import actions

    picks = {}
    for line in order.lines.all():
        lot = Lot.objects.filter(
            product=line.product, recall__isnull=True, recall_notice=""
        ).last() or lot_of(product=line.product, actor=actor)
        picks[line.pk] = lot.pk
    return actions.order_fill(order=order, actor=actor, picks=picks)
