"""No log line and no error report holds health data.

An order is seeded with a patient whose name, date of birth, allergies and
medicines are strings found nowhere else; the whole journey runs (checkout
and upload through the views, the Stripe webhook, the pharmacist's review,
approval with an email the mail server refuses once and the outbox retries,
dispatch, a refill, a refill reminder). Every log record at every level goes
through the store's own JSON formatter, and every Sentry report through the
store's own options and scrubber to a transport kept in memory; none may
contain any of the strings.
"""

import datetime
import json
import logging

import pytest
import sentry_sdk
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import timezone
from oscar.apps.order.models import Order
from sentry_sdk.transport import Transport

from catalog.partner.strategy import Selector
from checkout.basket.models import Basket
from checkout.dispensing.models import PatientDetails
from checkout.dispensing.refills import reminders, rules, services
from checkout.orders import actions, placing
from checkout.orders.models import OrderEvent
from checkout.payments.states import PaymentMethod
from pharmacy.core import error_reports
from pharmacy.core.models import OutboundEmail
from pharmacy.staff.groups import staff_groups_ensure
from pharmacy.staff.roles import PHARMACISTS
from tests.checkout_helpers import (
    checkout_attempt,
    fill,
    guest_checkout_to_preview,
    pharmacist_checks_record,
    place_order,
    png_upload,
)
from tests.factories import UserFactory
from tests.integration.checkout.conftest import add_url, stripe_event, webhook_post
from tests.log_lines import json_lines_kept
from tests.smtp_server import local_smtp, use_smtp

NAME = "Quillonea Zephyrbrook-Vantassel"
DOB = datetime.date(1977, 2, 28)
ALLERGY = "Xylocrandine wheals"
MEDICINE = "Pomafrivex 3 mg nocte"
CONDITION = "Brindlewort syndrome"
SECRETS = [
    NAME,
    "Zephyrbrook",
    DOB.isoformat(),
    DOB.strftime("%m/%d/%Y"),
    DOB.strftime("%B %-d, %Y"),
    DOB.strftime("%b. %-d, %Y"),
    "1977, 2, 28",
    ALLERGY,
    "Xylocrandine",
    MEDICINE,
    "Pomafrivex",
    CONDITION,
    "Brindlewort",
]
PATIENT_FORM = {
    "full_name": NAME,
    "date_of_birth": DOB.isoformat(),
    "allergies": ALLERGY,
    "medical_conditions": CONDITION,
    "current_medicines": MEDICINE,
    "counselling": "no",
}


class MemoryTransport(Transport):
    """Sentry's reports, kept here instead of sent anywhere."""

    def __init__(self, options=None):
        super().__init__(options)
        self.reports: list[str] = []

    def capture_envelope(self, envelope):
        for item in envelope.items:
            payload = item.payload.json or item.payload.get_bytes().decode(
                errors="replace"
            )
            self.reports.append(json.dumps(payload, ensure_ascii=False, default=str))


@pytest.fixture
def every_log_line():
    """Each record at every level, formatted by the store's console handler."""
    with json_lines_kept(logging.getLogger(), level=logging.DEBUG) as lines:
        yield lines


@pytest.fixture
def error_reports_kept():
    transport = MemoryTransport()
    options = error_reports.sentry_options(
        dsn="https://public@sentry.invalid/1", environment="test"
    )
    sentry_sdk.init(**options, transport=transport)
    client = sentry_sdk.get_client()
    assert client.is_active()
    assert client.should_send_default_pii() is False
    yield transport.reports
    client.close()
    sentry_sdk.get_global_scope().set_client(None)


def found(texts: list[str]) -> list[tuple[str, str]]:
    return [(s, t[:300]) for t in texts for s in SECRETS if s.lower() in t.lower()]


def test_the_whole_journey_logs_and_reports_no_health_data(
    client, drug, fake_stripe, private_root, settings, every_log_line,
    error_reports_kept,
):  # fmt: skip
    # Checkout and upload, through the views, paying by card.
    guest_checkout_to_preview(client, product_page_add_url=add_url(drug.product))
    client.post(reverse("checkout:patient"), PATIENT_FORM)
    client.post(
        reverse("checkout:prescription"),
        {"source": "upload", "file": png_upload(f"{NAME}.png")},
    )
    client.post(reverse("checkout:payment-method"), {"method": "card"})
    client.post(reverse("checkout:preview"), {"action": "place_order"})
    # Stripe says the card was authorised: the webhook places the order.
    assert (
        webhook_post(Client(), stripe_event("checkout.session.completed")).status_code
        == 200
    )
    order = Order.objects.get()
    assert order.patient.full_name == NAME

    # The pharmacist reviews, approves (the email is refused once, then
    # sent on the retry) and dispatches.
    pharmacist = UserFactory(is_staff=True)
    pharmacist.groups.add(staff_groups_ensure()[PHARMACISTS])
    staff = Client()
    staff.force_login(pharmacist)
    review = reverse("admin:checkout_queueorder_review", args=[order.pk])
    assert staff.get(review).status_code == 200
    pharmacist_checks_record(order=order, actor=pharmacist)
    with local_smtp(refuse_first=1) as (smtp, port):
        use_smtp(settings, port)
        with TestCase.captureOnCommitCallbacks(execute=True):
            actions.order_approve(order=order, actor=pharmacist)
        assert smtp.accepted
    assert OutboundEmail.objects.filter(attempts__gte=2).exists()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    fill(order=order, actor=pharmacist)
    with TestCase.captureOnCommitCallbacks(execute=True):
        actions.order_dispatch(order=order, actor=pharmacist, tracking_reference="1Z99")

    # A customer's order with the same patient: its refill reminder, then the refill.
    customer = UserFactory(email="customer@example.com")
    pack = drug.product.children.order_by("pk").first()
    first = place_order(product=pack, owner=customer, method=PaymentMethod.INVOICE)
    PatientDetails.objects.filter(order=first).update(
        full_name=NAME, date_of_birth=DOB, allergies=ALLERGY,
        current_medicines=MEDICINE, medical_conditions=CONDITION,
    )  # fmt: skip
    with TestCase.captureOnCommitCallbacks(execute=True):
        actions.order_approve(order=first, actor=pharmacist)
    record = first.prescription.record
    # Nine days later, most of the 10 days' supply taken.
    OrderEvent.objects.filter(order=first, action="approved").update(
        created_at=timezone.now() - datetime.timedelta(days=9)
    )
    reminders.subscribe(user=customer, drug=record.drug)
    last = rules.fills(record=record)[-1]
    due = rules.supply_runs_out(record=record, fill=last) - datetime.timedelta(days=6)
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert reminders.reminders_send(now=due) == 1
    basket = Basket.objects.create(owner=customer)
    basket.strategy = Selector().strategy()
    services.refill_to_basket(record=record, basket=basket)
    refill = placing.order_place(
        attempt_id=checkout_attempt(basket=basket, with_prescription=False).pk
    )
    assert isinstance(refill, Order)

    # The journey did log (at DEBUG, everything), with request ids.
    assert len(every_log_line) > 10
    assert any(json.loads(line).get("request_id") for line in every_log_line)
    assert found(every_log_line) == []
    assert found(error_reports_kept) == []


def test_an_error_report_quoting_a_patient_is_scrubbed(error_reports_kept, db):
    """What Sentry would gather around a crash while a patient's details are
    in hand: the exception's message, the frame's variables, a log line's
    arguments, a breadcrumb."""
    logger = logging.getLogger("pharmacy.test")

    def save_patient(full_name, date_of_birth, allergies):
        raise ValueError(
            f"could not save {full_name} born {date_of_birth}: {allergies}"
        )

    sentry_sdk.add_breadcrumb(category="query", message=f"SELECT '{MEDICINE}'")
    logger.error("Saving patient %s failed", NAME)
    try:
        save_patient(NAME, DOB, ALLERGY)
    except ValueError:
        sentry_sdk.capture_exception()
    sentry_sdk.flush()

    assert len(error_reports_kept) >= 2
    assert found(error_reports_kept) == []
    crash = next(r for r in error_reports_kept if "ValueError" in r)
    assert "save_patient" in crash  # the frame that failed is still named
    assert "Saving patient %s failed" in "".join(error_reports_kept)
