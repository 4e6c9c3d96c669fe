"""What the order workflow asks of dispensing: whether the prescription allows
an action now, and what the pharmacist's decision records on it.

The workflow (checkout/orders/workflow.py) names these checks and effects;
checkout/orders/actions.py calls them inside the action's transaction.
"""

from django.utils import timezone

from checkout.dispensing import pharmacist, prescriptions, records
from checkout.dispensing.models import Prescription
from checkout.dispensing.refills import rules as refill_rules
from checkout.orders import workflow
from checkout.payments import invoices, ledger


def order_prescription(*, order) -> Prescription | None:
    return Prescription.objects.filter(order=order).first()


def approval_refusals(*, order) -> list[str]:
    """Everything that stops a pharmacist approving the order now: no
    prescription at all, the prescription record's refusals, a refill too
    early, then each clinical flag not yet acknowledged."""
    prescription = order_prescription(order=order)
    if prescriptions.order_needs_prescription(order=order) and prescription is None:
        return ["This order has no prescription to approve."]
    record = records.record_for(order=order)
    refusals = records.approval_refusals(order=order, record=record)
    if record is not None and prescription.source == Prescription.Source.REFILL:
        refusals += _refill_too_early(record=record)
    flags = pharmacist.order_flags(order=order, record=record)
    refusals += [
        f"Acknowledge the flag first: {flag.title}."
        for flag in pharmacist.unacknowledged_flags(order=order, flags=flags)
    ]
    return refusals


def _refill_too_early(*, record) -> list[str]:
    """The too-early rule the customer met when requesting the refill, asked
    again: another fill may have been approved since."""
    early = refill_rules.too_early(record=record)
    if early is None:
        return []
    day = timezone.localdate(early.allowed_from)
    return [
        f"Too early to refill: the last fill ({early.days} days' supply) has "
        f"about {early.days_left} days left; a refill may be approved from "
        f"{day:%B} {day.day}, {day.year}."
    ]


def dispatch_refusals(*, order) -> list[str]:
    """What stops an approved order leaving: its prescription not approved,
    or cancelled by the prescriber since, or counselling (given or declined)
    not recorded."""
    if not prescriptions.order_needs_prescription(order=order):
        return []
    prescription = order_prescription(order=order)
    if prescription is None or prescription.decision != Prescription.Decision.APPROVED:
        return ["A pharmacist has not approved this order's prescription."]
    record = records.record_for(order=order)
    if record is not None and record.withdrawn_at is not None:
        return ["The prescriber cancelled this order's prescription: do not send it."]
    if not pharmacist.counselling_done(order=order):
        return ["Record the counselling (given or declined) before dispatch."]
    return []


def dispatch_blockers(*, order) -> list[str]:
    """Everything that stops dispatch now, for the pharmacist to see before
    typing a carrier and tracking reference: the dispensing checks, then the
    payment, as the workflow's dispatch row reads it (its checks, and the
    payment states it starts from)."""
    blockers = dispatch_refusals(order=order) + invoices.dispatch_refusals(order=order)
    payment = ledger.payment_of(order)
    if payment.state not in workflow.DISPATCH.payment_states:
        blockers.append(
            f"Payment not received ({payment.get_state_display().lower()}): "
            "dispatch waits for it."
        )
    return blockers


def prescriber_refusals(*, order) -> list[str]:
    """Only an order that gave the prescriber's details can wait for them."""
    prescription = order_prescription(order=order)
    if prescription is None or prescription.source != Prescription.Source.PRESCRIBER:
        return [
            "Only an order that gave the prescriber's details can wait for the "
            "prescriber."
        ]
    return []


def prescription_approve(*, order, actor) -> None:
    """The order is approved and paid for: take its tablets from what is left
    on the prescription, and mark the prescription approved by ``actor``."""
    record = records.record_for(order=order)
    if record is not None:
        records.record_supply_take(
            record=record,
            tablets=sum(line.tablets for line in records.ordered_drugs(order=order)),
        )
        on_file = record.prescription
        if (
            on_file.order_id is None
            and on_file.decision == Prescription.Decision.PENDING
        ):
            # An e-prescription's first fill: approving it against the record
            # is the pharmacist's confirmation of the prescription itself.
            on_file.decision = Prescription.Decision.APPROVED
            on_file.reviewed_by = actor
            on_file.reviewed_at = timezone.now()
            on_file.save(update_fields=["decision", "reviewed_by", "reviewed_at"])
    _decide(order=order, actor=actor, decision=Prescription.Decision.APPROVED)


def prescription_reject(*, order, actor, reason: str) -> None:
    _decide(
        order=order,
        actor=actor,
        decision=Prescription.Decision.REJECTED,
        rejection_reason=reason,
    )


def _decide(*, order, actor, decision: str, **fields) -> None:
    prescription = order_prescription(order=order)
    if prescription is None:
        return
    prescription.decision = decision
    prescription.reviewed_by = actor
    prescription.reviewed_at = timezone.now()
    for name, value in fields.items():
        setattr(prescription, name, value)
    prescription.save(update_fields=["decision", "reviewed_by", "reviewed_at", *fields])
