"""A hold the customer can answer: the reason on the status page and in the
email, a new prescription (or the prescriber's details) sent from the status
page, and the order back in the pharmacist's queue with that in its history.
Only the order's own customer can send it."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from catalog.models import Product
from checkout.dispensing.models import Prescription
from checkout.dispensing.prescriptions import SuppliedPrescription
from checkout.orders import actions, tracking
from checkout.orders.models import OrderEvent
from checkout.orders.workflow import HoldReason, OrderStatus
from pharmacy.staff.groups import staff_groups_ensure
from pharmacy.staff.roles import PHARMACISTS
from tests.checkout_helpers import pdf_upload, place_order, png_upload
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

UNCLEAR = "The photo or scan of your prescription is hard to read."


@pytest.fixture(autouse=True)
def _private(private_root):
    pass


@pytest.fixture
def pack(drug) -> Product:
    return Product.objects.get(upc=f"{drug.product.upc}-10-30")


@pytest.fixture
def pharmacist(db):
    user = UserFactory(is_staff=True)
    user.groups.add(staff_groups_ensure()[PHARMACISTS])
    return user


@pytest.fixture
def customer(db):
    return UserFactory(username="sam", email="sam@example.com")


def held(order, pharmacist, words="Please send a sharper photo."):
    actions.order_hold(
        order=order, actor=pharmacist, reason=HoldReason.UNCLEAR_IMAGE, words=words
    )
    order.refresh_from_db()
    return order


def guest_url(order) -> str:
    return reverse(
        "customer:anon-order",
        kwargs={"order_number": order.number, "hash": order.verification_hash()},
    )


def remembered(client, order) -> Client:
    session = client.session
    tracking.guest_order_remember(session=session, order_number=order.number)
    session.save()
    return client


def page(response) -> str:
    return response.content.decode()


def answer(client, url, **data):
    return client.post(url, {"action": "answer_hold", **data}, follow=True)


def test_the_hold_reason_is_emailed_and_shown_on_the_status_page(
    client, pack, pharmacist, django_capture_on_commit_callbacks
):
    order = place_order(product=pack)
    with django_capture_on_commit_callbacks(execute=True):
        held(order, pharmacist)

    body = mail.outbox[-1].body
    shown = page(remembered(client, order).get(guest_url(order)))

    assert f"{UNCLEAR} Please send a sharper photo." in body
    assert "upload" in body and "prescriber's details" in body
    assert "Our pharmacist needs something from you" in shown
    assert f"{UNCLEAR} Please send a sharper photo." in shown
    assert "Send to our pharmacist" in shown


def test_other_needs_words_and_an_unknown_reason_is_refused(pack, pharmacist):
    order = place_order(product=pack)
    with pytest.raises(actions.OrderActionRefused, match="a few words"):
        actions.order_hold(order=order, actor=pharmacist, reason=HoldReason.OTHER)
    with pytest.raises(actions.OrderActionRefused, match="choose why"):
        actions.order_hold(order=order, actor=pharmacist, reason="Waiting")
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_REVIEW


def test_a_guest_uploads_a_new_prescription_and_the_order_is_back_in_the_queue(
    client, pack, pharmacist, django_capture_on_commit_callbacks
):
    order = held(place_order(product=pack), pharmacist)
    old = Prescription.objects.get(order=order).file.name

    with django_capture_on_commit_callbacks(execute=True):
        response = answer(
            remembered(client, order),
            guest_url(order),
            source="upload",
            file=pdf_upload(),
        )

    order.refresh_from_db()
    prescription = Prescription.objects.get(order=order)
    event = OrderEvent.objects.filter(order=order).last()
    assert order.status == OrderStatus.AWAITING_REVIEW
    assert prescription.file_content_type == "application/pdf"
    assert prescription.file.name != old
    assert not prescription.file.storage.exists(old)
    assert event.action == "prescription supplied" and event.actor is None
    assert event.note == "The customer uploaded a new prescription (a PDF)."
    assert "we have sent it to our pharmacist" in page(response)
    assert "You sent what our pharmacist asked for" in page(response)
    assert "Send to our pharmacist" not in page(response)


def test_a_signed_in_customer_gives_the_prescribers_details(
    client, pack, pharmacist, customer
):
    order = held(place_order(product=pack, owner=customer), pharmacist)
    client.force_login(customer)
    url = reverse("customer:order", kwargs={"order_number": order.number})

    answer(
        client,
        url,
        source="prescriber",
        prescriber_name="Dr Ada Lovelace",
        prescriber_phone="555 0101",
        prescriber_npi="1234567893",
    )

    order.refresh_from_db()
    prescription = Prescription.objects.get(order=order)
    assert order.status == OrderStatus.AWAITING_REVIEW
    assert prescription.source == Prescription.Source.PRESCRIBER
    assert prescription.prescriber_npi == "1234567893" and not prescription.file
    assert OrderEvent.objects.filter(order=order).last().actor == customer


def test_bad_input_is_explained_and_what_was_typed_is_kept(
    client, pack, pharmacist, customer
):
    order = held(place_order(product=pack, owner=customer), pharmacist)
    client.force_login(customer)
    url = reverse("customer:order", kwargs={"order_number": order.number})

    response = answer(
        client,
        url,
        source="prescriber",
        prescriber_name="Dr Ada Lovelace",
        prescriber_phone="555 0101",
        prescriber_npi="1234567890",
    )

    assert "check digit is wrong" in page(response)
    assert 'value="Dr Ada Lovelace"' in page(response)
    order.refresh_from_db()
    assert order.status == OrderStatus.ON_HOLD


def test_someone_elses_order_is_refused_signed_in_or_as_a_guest(
    client, pack, pharmacist, customer
):
    theirs = held(place_order(product=pack, owner=customer), pharmacist)
    guests = held(place_order(product=pack), pharmacist)
    intruder = UserFactory(username="mallory")
    client.force_login(intruder)

    signed_in = answer(
        client,
        reverse("customer:order", kwargs={"order_number": theirs.number}),
        source="upload",
        file=png_upload(),
    )
    as_guest = answer(Client(), guest_url(guests), source="upload", file=png_upload())

    assert signed_in.status_code == 404
    assert "enter the email address" in page(as_guest)
    for order in (theirs, guests):
        order.refresh_from_db()
        assert order.status == OrderStatus.ON_HOLD
        assert not OrderEvent.objects.filter(
            order=order, action="prescription supplied"
        ).exists()


def test_an_order_not_on_hold_takes_nothing(client, pack, pharmacist, customer):
    order = place_order(product=pack, owner=customer)
    client.force_login(customer)
    url = reverse("customer:order", kwargs={"order_number": order.number})
    before = Prescription.objects.get(order=order).file.name

    response = answer(client, url, source="upload", file=png_upload())

    assert "is not on hold now, so nothing was sent" in page(response)
    assert Prescription.objects.get(order=order).file.name == before
    with pytest.raises(actions.OrderActionRefused):
        actions.order_prescription_supply(
            order=order,
            actor=customer,
            supplied=SuppliedPrescription(source="prescriber", prescriber_name="Dr A"),
        )
