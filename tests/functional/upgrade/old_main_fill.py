"""Fill a database migrated by today's main (77a33b9) with what a running store
holds, through that commit's own services and ORM.

Not a test and not importable here: tests/functional/test_upgrade_keeps_every_row.py
runs it as a script with the OLD tree first on PYTHONPATH, so ``checkout``,
``pharmacy`` and ``tests`` are that tree's packages (checkout.orders,
checkout.refills, pharmacy.staff: module paths the redesign has moved). It
prints one JSON line: where those packages were imported from, so the test can
check that it really ran the old code.
"""

import contextlib
import datetime
import json
from decimal import Decimal
from unittest import mock

import django

django.setup()

from django.contrib.auth.models import Group  # noqa: E402
from django.core.files.base import ContentFile  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from oscar.apps.order.models import Order  # noqa: E402

import catalog  # noqa: E402
import checkout  # noqa: E402
import pharmacy  # noqa: E402
import tests  # noqa: E402
from catalog.models import Strength  # noqa: E402
from catalog.partner.models import StockRecord  # noqa: E402
from catalog.partner.strategy import Selector  # noqa: E402
from catalog.reviews import services as reviews  # noqa: E402
from catalog.reviews.models import ProductReview  # noqa: E402
from checkout import (  # noqa: E402
    access_log,
    lifecycle,
    orders,
    pharmacist,
    prescriptions,
    stripe_gateway,
)
from checkout.basket.models import Basket  # noqa: E402
from checkout.clinical import Flag  # noqa: E402
from checkout.models import (  # noqa: E402
    AccessAction,
    AccessSubject,
    CheckoutAttempt,
    OrderEvent,
    PaymentMethod,
    Prescription,
    PrescriptionRecord,
    StripeEvent,
)
from checkout.refills import reminders, transfers  # noqa: E402
from checkout.refills.models import SentReminder  # noqa: E402
from checkout.refills.services import refill_to_basket  # noqa: E402
from pharmacy.compliance.models import PolicyPage, StateLicence  # noqa: E402
from pharmacy.models import OutboundEmail  # noqa: E402
from pharmacy.staff import PHARMACISTS, staff_groups_ensure  # noqa: E402
from tests.checkout_helpers import (  # noqa: E402
    basket_with,
    checkout_attempt,
    pharmacist_checks_record,
    place_order,
)
from tests.factories import UserFactory, make_drug, strength_switch  # noqa: E402

# The card payments' Stripe side: what the gateway answers, faked at the
# gateway (no network); the settlement code around it is the old code's own.
captures_declined: set[str] = set()


def _capture(*, payment_intent_id: str, amount: Decimal) -> Decimal:
    if payment_intent_id in captures_declined:
        raise stripe_gateway.PaymentRefused(
            "Your card was declined.", code="card_declined", declined=True
        )
    return amount


def _intent(*, payment_intent_id: str) -> stripe_gateway.Intent:
    return stripe_gateway.Intent(
        id=payment_intent_id,
        status="requires_payment_method",
        amount_capturable=Decimal("0"),
        amount_received=Decimal("0"),
        currency="USD",
        cancellation_reason="",
    )


def card_order(*, product, owner=None, intent: str, email="card@example.com"):
    basket = basket_with(product=product, owner=owner)
    attempt = checkout_attempt(basket=basket, method=PaymentMethod.CARD, email=email)
    attempt.stripe_session_id = f"cs_test_{intent}"
    attempt.stripe_payment_intent_id = intent
    attempt.save()
    order = orders.order_place(
        attempt_id=attempt.pk,
        authorised_amount=attempt.amount,
        authorised_currency=attempt.currency,
    )
    pharmacist_checks_record(order=order)
    return order


def prescriber_order(*, product, owner):
    """An order that gave the prescriber's details instead of an upload."""
    basket = basket_with(product=product, owner=owner)
    prescriptions.prescription_save(
        basket=basket,
        data={
            "source": Prescription.Source.PRESCRIBER,
            "prescriber_name": "Dr Omar Haddad",
            "prescriber_phone": "+12175550123",
            "prescriber_npi": "1245319599",
        },
        upload_kind=None,
    )
    attempt = checkout_attempt(basket=basket, with_prescription=False)
    return orders.order_place(attempt_id=attempt.pk)


def catalogue():
    drug = make_drug(title="Baclofen")
    other = make_drug(
        title="Sertraline", prices={"50": {30: "12.40", 90: "31.90"}}, sections=2
    )
    # A strength withdrawn and brought back: two history rows beside the first.
    strength_switch(drug=drug, mg="25", available=False)
    strength_switch(drug=drug, mg="25", available=True)
    # Price edits as staff make them: each save is a price history row.
    record = StockRecord.objects.filter(product__parent=drug.product).first()
    for price in ("39.90", "37.50"):
        record.price = Decimal(price)
        record.save()
    return drug, other


def people():
    staff_groups_ensure()
    pharmacist_user = UserFactory(
        username="pharmacist", is_staff=True, first_name="Pat", last_name="Lee"
    )
    pharmacist_user.groups.add(Group.objects.get(name=PHARMACISTS))
    customer = UserFactory(username="casey", first_name="Casey", last_name="Nguyen")
    other = UserFactory(username="robin", first_name="Robin", last_name="Okafor")
    return pharmacist_user, customer, other


def orders_in_every_state(*, drug, other_drug, actor, customer, other_customer):
    pack = drug.product.children.order_by("pk").first()
    other_pack = other_drug.product.children.order_by("pk").first()
    placed = {}

    # Invoices: awaiting review (guest), approved and dispatched (customer),
    # rejected (prescriber's details), cancelled after approval.
    placed["guest_waiting"] = place_order(product=pack, checked=False)
    done = place_order(product=pack, owner=customer, quantity=2)
    flag = Flag(code="dose-above-max", title="Dose above the maximum", detail="")
    pharmacist.flag_acknowledge(
        order=done, actor=actor, flag=flag, note="Prescriber confirmed the dose."
    )
    lifecycle.order_approve(order=done, actor=actor)
    lifecycle.order_dispatch(
        order=done, actor=actor, tracking_reference="1Z999", carrier="UPS"
    )
    placed["invoice_dispatched"] = done
    rejected = prescriber_order(product=other_pack, owner=other_customer)
    lifecycle.order_prescription_request(order=rejected, actor=actor, note="Faxed")
    lifecycle.order_reject(order=rejected, actor=actor, reason="Prescriber declined.")
    placed["prescriber_rejected"] = rejected
    cancelled = place_order(product=other_pack, email="late@example.com")
    lifecycle.order_approve(order=cancelled, actor=actor)
    lifecycle.order_cancel(order=cancelled, actor=actor, reason="Customer asked.")
    placed["invoice_cancelled"] = cancelled
    held = prescriber_order(product=pack, owner=customer)
    lifecycle.order_hold(order=held, actor=actor, reason="Waiting for the prescriber.")
    placed["on_hold"] = held

    # Cards: captured and dispatched, capture failed (pay again), released on
    # rejection, refunded on cancellation, authorised and waiting.
    with (
        mock.patch.object(stripe_gateway, "payment_capture", _capture),
        mock.patch.object(stripe_gateway, "payment_release", lambda **kw: None),
        mock.patch.object(stripe_gateway, "payment_refund", lambda **kw: None),
        mock.patch.object(stripe_gateway, "payment_intent_get", _intent),
    ):
        captured = card_order(product=pack, owner=customer, intent="pi_captured")
        lifecycle.order_approve(order=captured, actor=actor)
        lifecycle.order_dispatch(order=captured, actor=actor, tracking_reference="9400")
        placed["card_dispatched"] = captured
        captures_declined.add("pi_declined")
        failed = card_order(
            product=other_pack, owner=other_customer, intent="pi_declined"
        )
        # Refused: the capture failed, which is recorded and emailed.
        with contextlib.suppress(lifecycle.OrderActionRefused):
            lifecycle.order_approve(order=failed, actor=actor)
        placed["card_capture_failed"] = failed
        released = card_order(product=pack, intent="pi_released")
        lifecycle.order_reject(order=released, actor=actor, reason="Not for you.")
        placed["card_released"] = released
        refunded = card_order(product=other_pack, owner=customer, intent="pi_refunded")
        lifecycle.order_approve(order=refunded, actor=actor)
        lifecycle.order_cancel(order=refunded, actor=actor, reason="Changed mind.")
        placed["card_refunded"] = refunded
        placed["card_waiting"] = card_order(product=pack, intent="pi_waiting")
    return placed


def checkouts_that_placed_nothing(*, drug, customer):
    pack = drug.product.children.order_by("pk").last()
    for status, note in (
        (CheckoutAttempt.Status.CANCELLED, ""),
        (CheckoutAttempt.Status.EXPIRED, "Stripe session expired"),
        (CheckoutAttempt.Status.MISMATCH, "Total now 40.00, attempt 1.00"),
        (CheckoutAttempt.Status.PENDING, ""),
    ):
        attempt = checkout_attempt(
            basket=basket_with(product=pack, owner=customer),
            method=PaymentMethod.CARD,
        )
        attempt.status, attempt.note = status, note
        attempt.stripe_session_id = f"cs_test_{status}"
        attempt.save()
    # Still in checkout: patient and prescription kept with the basket.
    basket = basket_with(product=pack)
    prescriptions.patient_details_save(
        basket=basket,
        data={
            "full_name": "Sam Ortiz",
            "date_of_birth": datetime.date(1975, 1, 2),
            "allergies": "Penicillin",
            "counselling": "yes",
            "counselling_phone": "+12175550111",
            "counselling_best_time": "Mornings",
        },
    )
    prescription = Prescription(
        basket=basket, source="upload", file_content_type="application/pdf"
    )
    prescription.file.save("upload.pdf", ContentFile(b"%PDF-1.4 rx"), save=False)
    prescription.save()


def refills_and_transfers(*, drug, other_drug, actor, customer, dispatched):
    # Written a month ago and filled three weeks ago, so a refill is due now.
    filled = timezone.now() - datetime.timedelta(days=21)
    OrderEvent.objects.filter(order=dispatched).update(created_at=filled)
    Order.objects.filter(pk=dispatched.pk).update(date_placed=filled)
    record = PrescriptionRecord.objects.get(prescription__order=dispatched)
    record.date_written = filled.date() - datetime.timedelta(days=9)
    record.save()
    reminders.subscribe(user=customer, drug=drug)
    reminders.subscribe(user=customer, drug=other_drug, active=False)
    SentReminder.objects.create(record=record, fill_order=dispatched)
    basket = Basket.objects.create(owner=customer)
    basket.strategy = Selector().strategy()
    refill_to_basket(record=record, basket=basket)
    attempt = checkout_attempt(basket=basket, with_prescription=False)
    refill = orders.order_place(attempt_id=attempt.pk)
    strength = Strength.objects.filter(drug=drug).first()
    data = {
        "strength": strength,
        "pharmacy_name": "Corner Drugs",
        "pharmacy_phone": "+12175550155",
        "prescription_number": "RX-4411",
    }
    transfers.transfer_request(user=customer, data=data)
    completed = transfers.transfer_request(user=customer, data=data)
    transfers.transfer_complete(
        transfer=completed,
        actor=actor,
        record={
            "prescriber_name": "Dr Lin",
            "prescriber_npi": "1234567893",
            "date_written": datetime.date(2026, 1, 5),
            "quantity_prescribed": 90,
            "directions": "10 mg three times a day",
            "dose_mg": Decimal("10"),
            "doses_per_day": 3,
            "refills_authorised": 3,
            "quantity_left": None,
        },
    )
    declined = transfers.transfer_request(user=customer, data=data)
    transfers.transfer_decline(transfer=declined, actor=actor, reason="Expired.")
    return refill


def reviews_of(*, drug, other_drug, actor, customer):
    product = drug.product
    approved = reviews.review_create(
        product=product,
        user=customer,
        data={"score": 5, "title": "Works", "body": "Helped my back."},
        ip_hash="a" * 64,
    )
    reviews.reviews_moderate(reviews=[approved], actor=actor, approve=True)
    reviews.review_create(
        product=product,
        user=None,
        data={
            "name": "Jo",
            "email": "jo@example.com",
            "score": 3,
            "title": "Fine",
            "body": "Slow delivery.",
        },
        ip_hash="b" * 64,
    )
    reviews.review_create(
        product=other_drug.product,
        user=None,
        data={
            "name": "Kim",
            "email": "kim@example.com",
            "score": 2,
            "title": "Dizzy",
            "body": "I felt dizzy after the first dose.",
            "side_effect_reported": True,
        },
        ip_hash="c" * 64,
    )
    rejected = reviews.review_create(
        product=other_drug.product,
        user=customer,
        data={"score": 1, "title": "Spam", "body": "Buy cheap pills at ..."},
        ip_hash="a" * 64,
    )
    reviews.reviews_moderate(reviews=[rejected], actor=actor, approve=False)
    assert ProductReview.objects.count() == 4


def everything_else(*, actor, orders_placed):
    for order in orders_placed:
        access_log.record_access(
            user=actor,
            order=order,
            subject=AccessSubject.ORDER_REVIEW,
            action=AccessAction.VIEWED,
        )
    access_log.record_access(
        user=actor,
        order=orders_placed[0],
        subject=AccessSubject.PRESCRIPTION_FILE,
        action=AccessAction.DENIED,
        detail="page 2",
    )
    StripeEvent.objects.create(event_id="evt_done", type="checkout.session.completed")
    StripeEvent.objects.create(
        event_id="evt_unused", type="charge.refunded", problem="no such payment"
    )
    # The outbox in every state, beside the sent order emails.
    now = timezone.now()
    for status, tries, error in (
        (OutboundEmail.Status.PENDING, 0, ""),
        (OutboundEmail.Status.SENDING, 1, ""),
        (OutboundEmail.Status.FAILED, 8, "SMTP 550 mailbox unavailable"),
    ):
        OutboundEmail.objects.create(
            status=status,
            from_email="orders@pharmacy.invalid",
            to=["someone@example.com"],
            headers={"X-Order": "100001"},
            subject=f"An email left {status}",
            body="Body",
            attempts=tries,
            last_error=error,
            claimed_at=now if status == OutboundEmail.Status.SENDING else None,
            next_try_at=now + datetime.timedelta(minutes=5) if tries else None,
        )
    # Alaska has no demo licence: a new one, as staff add it.
    StateLicence.objects.create(state="AK", licence_number="PHRM.FO.60123456")
    StateLicence.objects.filter(state="IL").update(is_active=False)
    PolicyPage.objects.filter(kind="returns").update(is_template=False)


def main() -> None:
    with transaction.atomic():
        drug, other_drug = catalogue()
        actor, customer, other_customer = people()
        placed = orders_in_every_state(
            drug=drug,
            other_drug=other_drug,
            actor=actor,
            customer=customer,
            other_customer=other_customer,
        )
        checkouts_that_placed_nothing(drug=drug, customer=customer)
        placed["refill"] = refills_and_transfers(
            drug=drug,
            other_drug=other_drug,
            actor=actor,
            customer=customer,
            dispatched=placed["card_dispatched"],
        )
        reviews_of(drug=drug, other_drug=other_drug, actor=actor, customer=customer)
        everything_else(actor=actor, orders_placed=list(placed.values()))
    print(
        json.dumps(
            {
                "imported_from": {
                    module.__name__: module.__file__
                    for module in (checkout, pharmacy, catalog, tests)
                },
                "orders": {name: order.number for name, order in placed.items()},
            }
        )
    )


main()
