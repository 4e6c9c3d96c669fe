"""Read the store's rows back through the ORM and print them as one JSON object.

Run as a script, once with today's main (77a33b9) and once with the code under
test, against the same database: the two printouts must be equal. It names
models only by app label (``apps.get_model``) and fields by name, so the same
script reads through whichever module each side defines a model in; the
``classes`` key says which module that was. Prescription files are read
through the model's storage and hashed. Content types that no installed model
answers to are listed too.
"""

import hashlib
import json

import django

django.setup()

from django.apps import apps  # noqa: E402
from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.core.serializers.json import DjangoJSONEncoder  # noqa: E402

import checkout  # noqa: E402

MODELS = {
    name: apps.get_model(*name.split("."))
    for name in (
        "order.Order",
        "order.PaymentEvent",
        "order.ShippingEvent",
        "payment.Source",
        "checkout.PatientDetails",
        "checkout.Prescription",
        "checkout.PrescriptionRecord",
        "checkout.FlagAcknowledgement",
        "checkout.CounsellingRecord",
        "checkout.OrderEvent",
        "checkout.OrderPayment",
        "checkout.CheckoutAttempt",
        "checkout.StripeEvent",
        "checkout.HealthDataAccess",
        "refills.ReminderSubscription",
        "refills.SentReminder",
        "refills.TransferRequest",
        "reviews.ProductReview",
        "pharmacy.OutboundEmail",
        "compliance.StateLicence",
        "catalogue.Strength",
        "partner.StockRecord",
    )
}
M = MODELS


def username(user):
    return user.get_username() if user else None


def file_digest(prescription):
    if not prescription.file:
        return None
    with prescription.file.open("rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def prescription_of(prescription):
    if prescription is None:
        return None
    record = (
        M["checkout.PrescriptionRecord"]
        .objects.filter(prescription=prescription)
        .first()
    )
    return {
        "source": prescription.source,
        "decision": prescription.decision,
        "file": prescription.file.name,
        "file_sha256": file_digest(prescription),
        "file_content_type": prescription.file_content_type,
        "prescriber": [prescription.prescriber_name, prescription.prescriber_npi],
        "reviewed_by": username(prescription.reviewed_by),
        "rejection_reason": prescription.rejection_reason,
        "refill_of": prescription.refill_of_id,
        "record": record
        and {
            "id": record.pk,
            "prescriber": [record.prescriber_name, record.prescriber_npi],
            "drug": record.drug and record.drug.generic_name,
            "strength_mg": record.strength and record.strength.mg,
            "dose": [record.dose_mg, record.doses_per_day, record.directions],
            "quantity": [record.quantity_prescribed, record.quantity_left],
            "refills_authorised": record.refills_authorised,
            "entered_by": username(record.entered_by),
        },
    }


def order_of(order):
    patient = M["checkout.PatientDetails"].objects.filter(order=order).first()
    payment = M["checkout.OrderPayment"].objects.filter(order=order).first()
    source = M["payment.Source"].objects.filter(order=order).first()
    return {
        "status": order.status,
        "total": order.total_incl_tax,
        "customer": username(order.user) or order.guest_email,
        "lines": [(line.title, line.quantity) for line in order.lines.order_by("pk")],
        "patient": patient
        and [patient.full_name, patient.date_of_birth, patient.allergies],
        "prescription": prescription_of(
            M["checkout.Prescription"].objects.filter(order=order).first()
        ),
        "payment": payment
        and {
            "method": payment.method,
            "state": payment.state,
            "amount": [payment.amount, payment.currency],
            "intent": payment.payment_intent_id,
            "problem": payment.problem,
            "pending": [payment.pending_action, username(payment.pending_actor)],
        },
        "source": source
        and [
            source.source_type.name,
            source.amount_allocated,
            source.amount_debited,
            source.amount_refunded,
            source.reference,
        ],
        "payment_events": [
            [event.event_type.name, event.amount, event.reference]
            for event in M["order.PaymentEvent"]
            .objects.filter(order=order)
            .order_by("pk")
        ],
        "shipping_events": [
            event.notes
            for event in M["order.ShippingEvent"]
            .objects.filter(order=order)
            .order_by("pk")
        ],
        "events": [
            [event.action, event.from_status, event.to_status, username(event.actor)]
            for event in M["checkout.OrderEvent"]
            .objects.filter(order=order)
            .order_by("pk")
        ],
        "flags": list(
            M["checkout.FlagAcknowledgement"]
            .objects.filter(order=order)
            .order_by("pk")
            .values_list("code", "note")
        ),
        "counselling": list(
            M["checkout.CounsellingRecord"]
            .objects.filter(order=order)
            .order_by("pk")
            .values_list("outcome", flat=True)
        ),
        "attempts": list(
            M["checkout.CheckoutAttempt"]
            .objects.filter(order=order)
            .order_by("pk")
            .values_list("status", "payment_method", "stripe_session_id")
        ),
        "access": list(
            M["checkout.HealthDataAccess"]
            .objects.filter(order=order)
            .order_by("pk")
            .values_list("username", "subject", "action", "detail")
        ),
    }


def everything():
    orders = M["order.Order"].objects.order_by("number")
    return {
        "orders": {order.number: order_of(order) for order in orders},
        "prescriptions_without_order": [
            prescription_of(prescription)
            for prescription in M["checkout.Prescription"]
            .objects.filter(order__isnull=True)
            .order_by("pk")
        ],
        "attempts_without_order": list(
            M["checkout.CheckoutAttempt"]
            .objects.filter(order__isnull=True)
            .order_by("pk")
            .values_list("status", "note", "amount", "guest_email")
        ),
        "transfers": [
            [t.status, t.pharmacy_name, username(t.decided_by), t.prescription_id]
            for t in M["refills.TransferRequest"].objects.order_by("pk")
        ],
        "reminders": [
            [username(s.user), s.drug.generic_name, s.is_active]
            for s in M["refills.ReminderSubscription"].objects.order_by("pk")
        ],
        "sent_reminders": list(
            M["refills.SentReminder"]
            .objects.order_by("pk")
            .values_list("record_id", "fill_order__number")
        ),
        "reviews": [
            [
                r.product.title,
                r.title,
                r.score,
                r.status,
                r.side_effect_reported,
                username(r.moderated_by),
            ]
            for r in M["reviews.ProductReview"].objects.order_by("pk")
        ],
        "emails": list(
            M["pharmacy.OutboundEmail"]
            .objects.order_by("pk")
            .values_list("status", "subject", "to", "attempts")
        ),
        "stripe_events": list(
            M["checkout.StripeEvent"]
            .objects.order_by("pk")
            .values_list("event_id", "type", "problem")
        ),
        "licences": list(
            M["compliance.StateLicence"]
            .objects.order_by("state")
            .values_list("state", "licence_number", "is_active")
        ),
        "strength_history": [
            [h.mg, h.is_available, h.history_type]
            for h in M["catalogue.Strength"].history.order_by("history_id")
        ],
        "price_history": [
            [h.partner_sku, h.price, h.history_type]
            for h in M["partner.StockRecord"].history.order_by("history_id")
        ],
    }


print(
    json.dumps(
        {
            "imported_from": checkout.__file__,
            "classes": {name: model.__module__ for name, model in MODELS.items()},
            # Content types no installed model answers to: data the code lost.
            "content_types_without_model": sorted(
                f"{ct.app_label}.{ct.model}"
                for ct in ContentType.objects.all()
                if ct.model_class() is None
            ),
            "rows": everything(),
        },
        cls=DjangoJSONEncoder,
    )
)
