"""Paying an invoice by card: with Stripe set up, the approval email and the
status page carry a "Pay by card" link to our page; it starts a Checkout
Session that charges exactly what is still due, and Stripe's answer (the
webhook, the return page, or both, or the webhook twice) records the payment
once, through the workflow, so dispatch may go ahead. Without Stripe nothing
changes: bank details only."""

import re
import time
from decimal import Decimal

import pytest
from django.conf import settings
from django.core import mail, signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from catalog.models import Product
from checkout.orders import actions
from checkout.orders.models import OrderEvent
from checkout.orders.workflow import OrderStatus
from checkout.payments import invoices, paylinks
from checkout.payments.models import InvoicePaymentReceived, OrderPayment
from checkout.payments.states import PaymentState
from pharmacy.staff.groups import staff_groups_ensure
from pharmacy.staff.roles import PHARMACISTS
from tests.checkout_helpers import fill, place_order
from tests.factories import UserFactory
from tests.integration.checkout.conftest import stripe_event, webhook_post

pytestmark = pytest.mark.django_db

INVOICE = {"purpose": "invoice"}


@pytest.fixture(autouse=True)
def _invoice_settings(settings, private_root):
    settings.INVOICE_DISPATCH_WAITS_FOR_PAYMENT = True


@pytest.fixture
def pharmacist(db):
    user = UserFactory(is_staff=True)
    user.groups.add(staff_groups_ensure()[PHARMACISTS])
    return user


def approve(drug, pharmacist, capture):
    order = place_order(product=Product.objects.get(upc=f"{drug.product.upc}-10-30"))
    with capture(execute=True):
        actions.order_approve(order=order, actor=pharmacist)
    fill(order=order, actor=pharmacist)  # so only the payment holds dispatch back
    order.refresh_from_db()
    return order


@pytest.fixture
def approved(drug, pharmacist, fake_stripe, django_capture_on_commit_callbacks):
    """A guest's invoice order, approved with Stripe set up."""
    return approve(drug, pharmacist, django_capture_on_commit_callbacks)


def approval_email() -> str:
    return next(m for m in mail.outbox if "approved" in m.subject).body


def payment(order) -> OrderPayment:
    return OrderPayment.objects.get(order=order)


def link(order) -> str:
    return reverse(
        "checkout:invoice-card",
        kwargs={"token": paylinks.order_token(order=order, salt=paylinks.INVOICE_SALT)},
    )


def status_page(order) -> str:
    client = Client()
    session = client.session
    session["anon_order_email"] = order.email
    session.save()
    url = reverse(
        "customer:anon-order",
        kwargs={"order_number": order.number, "hash": order.verification_hash()},
    )
    return client.get(url).content.decode()


def pay(order, fake_stripe) -> Client:
    """The customer follows the link and confirms: Stripe's page (faked)
    charges the card. Returns their browser."""
    shopper = Client()
    response = shopper.post(link(order))
    assert response.status_code == 302
    assert response["Location"].startswith("https://checkout.stripe.test/pay/cs_")
    return shopper


def received_rows():
    return list(InvoicePaymentReceived.objects.values_list("method", "reference"))


def test_with_stripe_the_email_and_status_page_link_to_our_pay_page(approved):
    body = approval_email()
    [url] = re.findall(r"Pay by card: (\S+)", body)

    assert url.startswith(settings.PUBLIC_BASE_URL + "/checkout/invoice/")
    # The link names only the order (signed): no health data.
    assert paylinks.invoice_card_order(token=url.rstrip("/").rsplit("/", 1)[1]) == (
        approved
    )
    assert "Or pay by bank transfer to:" in body
    page = status_page(approved)
    assert ">Pay by card</a>" in page
    assert "Or pay by bank transfer to:" in page


def test_without_stripe_only_the_bank_details_are_given(
    drug, pharmacist, settings, django_capture_on_commit_callbacks
):
    settings.STRIPE_SECRET_KEY = ""
    order = approve(drug, pharmacist, django_capture_on_commit_callbacks)

    assert "Pay by card" not in approval_email()
    assert "Pay by bank transfer to:" in approval_email()
    assert "Pay by card" not in status_page(order)
    assert "not available" in Client().get(link(order)).content.decode()


def test_the_link_starts_a_session_charging_what_is_still_due(
    approved, pharmacist, fake_stripe
):
    actions.order_payment_record(
        order=approved,
        actor=pharmacist,
        received=invoices.Received(
            amount=Decimal("10.00"),
            received_on=timezone.localdate(),
            method=InvoicePaymentReceived.Method.BANK_TRANSFER,
        ),
    )
    due = payment(approved).amount - Decimal("10.00")
    page = Client().get(link(approved)).content.decode()
    assert f"Pay ${due} by card" in page

    pay(approved, fake_stripe)

    [create] = fake_stripe.requests("POST", "/v1/checkout/sessions")
    assert create.form["mode"] == "payment"
    assert create.form["payment_intent_data[capture_method]"] == "automatic"
    assert create.form["line_items[0][price_data][unit_amount]"] == str(int(due * 100))
    assert create.form["metadata[purpose]"] == "invoice"
    assert create.idempotency_key == f"invoice-card-{approved.number}-1"


def test_the_webhook_records_the_payment_once_then_dispatch_may_go(
    approved, pharmacist, fake_stripe, client
):
    pay(approved, fake_stripe)
    event = stripe_event("checkout.session.completed", metadata=INVOICE)

    assert webhook_post(client, event).status_code == 200
    assert webhook_post(client, event).status_code == 200  # redelivered
    again = stripe_event(
        "checkout.session.completed", event_id="evt_test_2", metadata=INVOICE
    )
    assert webhook_post(client, again).status_code == 200  # a second event

    assert received_rows() == [("card_online", "pi_test_1")]
    row = InvoicePaymentReceived.objects.get()
    assert row.recorded_by is None and row.amount == payment(approved).amount
    assert payment(approved).state == PaymentState.INVOICE_PAID
    assert OrderEvent.objects.filter(order=approved, action="paid by card").count() == 1
    actions.order_dispatch(order=approved, actor=pharmacist, tracking_reference="T1")
    approved.refresh_from_db()
    assert approved.status == OrderStatus.DISPATCHED


def test_the_return_page_and_the_webhook_record_it_once(approved, fake_stripe, client):
    shopper = pay(approved, fake_stripe)

    back = shopper.get(
        link(approved) + "return/", {"session_id": "cs_test_1"}, follow=True
    )
    webhook_post(client, stripe_event("checkout.session.completed", metadata=INVOICE))

    page = back.content.decode()
    assert "your payment has been received" in page
    assert f"Invoice INV-{approved.number} is paid" in page
    assert received_rows() == [("card_online", "pi_test_1")]
    assert "Paid by card" in status_page(approved)


def test_a_paid_invoice_link_says_so_and_starts_nothing(approved, fake_stripe, client):
    pay(approved, fake_stripe)
    webhook_post(client, stripe_event("checkout.session.completed", metadata=INVOICE))

    page = Client().get(link(approved)).content.decode()
    refused = Client().post(link(approved)).content.decode()

    assert f"Invoice INV-{approved.number} is paid" in page
    assert "is paid" in refused
    assert len(fake_stripe.requests("POST", "/v1/checkout/sessions")) == 1


def test_an_order_not_awaiting_payment_refuses_politely(drug, fake_stripe):
    order = place_order(product=Product.objects.get(upc=f"{drug.product.upc}-10-30"))

    page = Client().post(link(order)).content.decode()

    assert f"Order {order.number} has no invoice waiting for payment." in page
    assert fake_stripe.requests("POST", "/v1/checkout/sessions") == []


def test_a_forged_or_expired_link_is_not_found(approved, settings, fake_stripe):
    forged = reverse("checkout:invoice-card", kwargs={"token": f"{approved.number}:x"})
    other_salt = signing.TimestampSigner(salt="checkout.pay-again").sign(
        approved.number
    )
    assert Client().get(forged).status_code == 404
    assert Client().post(forged).status_code == 404
    assert (
        Client()
        .get(reverse("checkout:invoice-card", kwargs={"token": other_salt}))
        .status_code
        == 404
    )

    url = link(approved)
    settings.INVOICE_CARD_LINK_DAYS = 0
    time.sleep(1.1)
    assert Client().get(url).status_code == 404
    assert fake_stripe.requests("POST", "/v1/checkout/sessions") == []


def test_a_card_payment_the_invoice_can_no_longer_take_is_refunded(
    approved, pharmacist, fake_stripe, client
):
    pay(approved, fake_stripe)
    actions.order_payment_record(  # paid by bank meanwhile
        order=approved,
        actor=pharmacist,
        received=invoices.Received(
            amount=payment(approved).amount,
            received_on=timezone.localdate(),
            method=InvoicePaymentReceived.Method.BANK_TRANSFER,
        ),
    )

    webhook_post(client, stripe_event("checkout.session.completed", metadata=INVOICE))

    assert [r["payment_intent"] for r in fake_stripe.refunds] == ["pi_test_1"]
    assert received_rows() == [("bank_transfer", "")]
