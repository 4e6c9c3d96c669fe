"""Invoice orders: the approval email and the status page say what is due,
by when and how to pay; staff with the role record money received (through
the workflow, into the ledger); dispatch waits for the invoice to be paid,
from the review page and from a direct call alike, unless the setting says
it need not."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from oscar.apps.order.models import PaymentEvent

from catalog.models import Product
from checkout.orders import actions
from checkout.orders.models import OrderEvent
from checkout.orders.workflow import OrderStatus
from checkout.payments import invoices
from checkout.payments.models import InvoicePaymentReceived, OrderPayment
from checkout.payments.states import PaymentState
from pharmacy.settings import base
from pharmacy.staff.groups import staff_groups_ensure
from pharmacy.staff.roles import PHARMACISTS, PRICE_EDITORS
from tests.checkout_helpers import fill, place_order
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

BANK = {
    "payee": "Springfield Pharmacy LLC",
    "bank": "First Bank of Springfield",
    "routing_number": "011000015",
    "account_number": "12345678",
}


@pytest.fixture(autouse=True)
def _invoice_settings(settings, private_root):
    settings.INVOICE_DISPATCH_WAITS_FOR_PAYMENT = True
    settings.INVOICE_DUE_DAYS = 14
    settings.INVOICE_BANK = BANK


@pytest.fixture
def pack(drug) -> Product:
    return Product.objects.get(upc=f"{drug.product.upc}-10-30")


def staff(group):
    user = UserFactory(is_staff=True)
    user.groups.add(staff_groups_ensure()[group])
    return user


@pytest.fixture
def pharmacist(db):
    return staff(PHARMACISTS)


@pytest.fixture
def approved(pack, pharmacist, django_capture_on_commit_callbacks):
    """A guest's invoice order, approved (the invoice is issued) and filled,
    so only the payment can hold back its dispatch."""
    order = place_order(product=pack, quantity=2)
    with django_capture_on_commit_callbacks(execute=True):
        actions.order_approve(order=order, actor=pharmacist)
    fill(order=order, actor=pharmacist)
    order.refresh_from_db()
    return order


def payment(order) -> OrderPayment:
    return OrderPayment.objects.get(order=order)


def received(amount, **kwargs) -> invoices.Received:
    return invoices.Received(
        amount=Decimal(amount),
        received_on=kwargs.pop("on", timezone.localdate()),
        method=kwargs.pop("method", InvoicePaymentReceived.Method.BANK_TRANSFER),
        **kwargs,
    )


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def action_url(order, name) -> str:
    return reverse("admin:checkout_queueorder_action", args=[order.pk, name])


def due_by() -> str:
    due = timezone.localdate() + datetime.timedelta(days=14)
    return f"{due.day} {due:%B %Y}"


def test_dispatch_waits_for_payment_by_default():
    assert base.INVOICE_DISPATCH_WAITS_FOR_PAYMENT is True
    assert base.INVOICE_DUE_DAYS == 14


def test_the_approval_email_says_what_is_due_by_when_and_how_to_pay(approved):
    body = mail.outbox[-1].body
    total = payment(approved).amount

    assert "approved" in mail.outbox[-1].subject
    assert f"How to pay invoice INV-{approved.number}" in body
    assert f"Amount due: ${total}" in body
    assert f"Due by: {due_by()}" in body
    for value in BANK.values():
        assert value in body
    assert f"Reference: {approved.number}" in body
    assert "once the payment has arrived" in body


def test_the_status_page_says_the_same(client, approved):
    session = client.session
    session["anon_order_email"] = approved.email
    session.save()
    url = reverse(
        "customer:anon-order",
        kwargs={"order_number": approved.number, "hash": approved.verification_hash()},
    )

    page = client.get(url).content.decode()

    assert f"Invoice INV-{approved.number}: how to pay" in page
    assert f"${payment(approved).amount}" in page and due_by() in page
    assert BANK["routing_number"] in page and BANK["account_number"] in page


def test_dispatch_is_refused_until_paid_then_allowed(approved, pharmacist):
    with pytest.raises(actions.OrderActionRefused, match="is not paid yet"):
        actions.order_dispatch(order=approved, actor=pharmacist, tracking_reference="T")

    actions.order_payment_record(
        order=approved,
        actor=pharmacist,
        received=received(payment(approved).amount, reference="BT-991"),
    )
    actions.order_dispatch(order=approved, actor=pharmacist, tracking_reference="T1")

    approved.refresh_from_db()
    assert approved.status == OrderStatus.DISPATCHED
    assert payment(approved).state == PaymentState.INVOICE_PAID
    row = InvoicePaymentReceived.objects.get()
    assert (row.recorded_by, row.reference) == (pharmacist, "BT-991")
    assert PaymentEvent.objects.filter(
        order=approved, event_type__name="Invoice payment received"
    ).exists()
    assert "the invoice is paid" in (
        OrderEvent.objects.get(order=approved, action="payment received").note
    )


def test_the_review_page_refuses_dispatch_then_records_the_payment(
    approved, pharmacist
):
    client = client_of(pharmacist)
    refused = client.post(
        action_url(approved, "dispatch"),
        {"carrier": "UPS", "tracking_reference": "1Z1"},
        follow=True,
    )
    assert "is not paid yet" in refused.content.decode()

    page = client.get(action_url(approved, "record-payment")).content.decode()
    assert f"{payment(approved).amount} USD still due" in page
    client.post(
        action_url(approved, "record-payment"),
        {
            "amount": str(payment(approved).amount),
            "received_on": timezone.localdate().isoformat(),
            "method": "check",
            "reference": "Check 1044",
        },
    )
    client.post(
        action_url(approved, "dispatch"),
        {"carrier": "UPS", "tracking_reference": "1Z2"},
    )

    approved.refresh_from_db()
    assert approved.status == OrderStatus.DISPATCHED
    assert InvoicePaymentReceived.objects.get().method == "check"


def test_part_payments_add_up_and_too_much_is_refused_keeping_what_was_typed(
    approved, pharmacist
):
    total = payment(approved).amount
    actions.order_payment_record(
        order=approved, actor=pharmacist, received=received("10.00")
    )
    assert payment(approved).state == PaymentState.INVOICED
    assert invoices.invoice_terms(order=approved).amount_due == total - Decimal("10")

    response = client_of(pharmacist).post(
        action_url(approved, "record-payment"),
        {
            "amount": "9999.00",
            "received_on": timezone.localdate().isoformat(),
            "method": "bank_transfer",
            "reference": "BT-TYPED",
        },
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert f"is more than the {total - Decimal('10')} USD still due" in page
    assert 'value="BT-TYPED"' in page and 'value="9999.00"' in page
    assert InvoicePaymentReceived.objects.count() == 1


def test_only_the_role_that_may_records_a_payment(approved):
    editor = staff(PRICE_EDITORS)

    with pytest.raises(actions.OrderActionRefused, match="permission"):
        actions.order_payment_record(
            order=approved, actor=editor, received=received("1")
        )
    forged = client_of(editor).post(
        action_url(approved, "record-payment"),
        {
            "amount": "1.00",
            "received_on": timezone.localdate().isoformat(),
            "method": "cash",
        },
    )

    assert forged.status_code in (302, 403, 404)
    assert not InvoicePaymentReceived.objects.exists()


def test_a_card_order_or_a_future_date_records_nothing(pack, approved, pharmacist):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(actions.OrderActionRefused, match="future"):
        actions.order_payment_record(
            order=approved, actor=pharmacist, received=received("1", on=tomorrow)
        )
    unapproved = place_order(product=pack)
    with pytest.raises(actions.OrderActionRefused):
        actions.order_payment_record(
            order=unapproved, actor=pharmacist, received=received("1")
        )
    assert not InvoicePaymentReceived.objects.exists()


def test_with_the_setting_off_an_unpaid_invoice_order_may_leave(
    settings, approved, pharmacist
):
    settings.INVOICE_DISPATCH_WAITS_FOR_PAYMENT = False

    actions.order_dispatch(order=approved, actor=pharmacist, tracking_reference="T1")

    approved.refresh_from_db()
    assert approved.status == OrderStatus.DISPATCHED
    assert payment(approved).state == PaymentState.INVOICED


def test_an_invoice_with_money_received_is_not_voided_as_unpaid(pack, pharmacist):
    # Approved and not filled: a filled order is not cancelled but returned.
    approved = place_order(product=pack, quantity=2)
    actions.order_approve(order=approved, actor=pharmacist)
    actions.order_payment_record(
        order=approved, actor=pharmacist, received=received("10.00")
    )

    with pytest.raises(actions.OrderActionRefused, match="refund it to the customer"):
        actions.order_cancel(order=approved, actor=pharmacist, reason="Changed mind")

    approved.refresh_from_db()
    assert approved.status == OrderStatus.APPROVED
    assert payment(approved).state == PaymentState.INVOICED
