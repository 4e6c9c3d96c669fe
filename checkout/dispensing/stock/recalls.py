"""Recalls: who got a lot, recalling it, and reading openFDA's recall notices.

``lot_recipients`` is the exact list of fills from one lot (never a
neighbouring lot's). ``lot_recall`` stops the lot being filled, takes it out
of the stock count and emails every patient who got it, through the outbox
(delivered after the commit). The email names the order and the lot number,
never the medicine: emails carry no health data.
"""

import re
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string

from checkout.dispensing.stock import counts
from checkout.dispensing.stock.models import FillLine, Lot, LotRecall
from pharmacy.core.outbox import email_enqueue


class RecallRefused(Exception):
    """The lot cannot be recalled (already recalled, or no reason given)."""


@dataclass(frozen=True)
class Recipient:
    order: object  # oscar Order
    order_number: str
    patient_name: str
    email: str
    filled_at: object
    tablets: int
    status: str


def lot_recipients(*, lot: Lot) -> list[Recipient]:
    """Every fill from this lot: the order, the patient and how many tablets."""
    lines = (
        FillLine.objects.filter(lot=lot)
        .select_related("fill__order__patient", "fill__order__user")
        .order_by("fill__filled_at", "pk")
    )
    return [
        Recipient(
            order=line.fill.order,
            order_number=line.fill.order.number,
            patient_name=line.fill.order.patient.full_name,
            email=line.fill.order.email,
            filled_at=line.fill.filled_at,
            tablets=line.tablets,
            status=line.fill.order.status,
        )
        for line in lines
    ]


def lot_recall(
    *, lot: Lot, actor, reason: str, source_reference: str = ""
) -> LotRecall:
    """Recall ``lot``: recorded, never filled again, out of the stock count,
    and each patient who got it emailed what to do."""
    reason = (reason or "").strip()
    if not reason:
        raise RecallRefused("Please record why the lot is recalled.")
    with transaction.atomic():
        lot = Lot.objects.select_for_update().get(pk=lot.pk)
        if LotRecall.objects.filter(lot=lot).exists():
            raise RecallRefused(f"Lot {lot.lot_number} is already recalled.")
        recipients = lot_recipients(lot=lot)
        for order_number, email in sorted(
            {(r.order_number, r.email) for r in recipients}
        ):
            email_enqueue(
                message=_recall_email(lot=lot, order_number=order_number, to=email)
            )
        recall = LotRecall.objects.create(
            lot=lot,
            reason=reason,
            source_reference=source_reference or lot.recall_notice,
            recalled_by=actor,
            patients_emailed=len({r.email for r in recipients}),
        )
        counts.stock_counts_sync(product_ids=[lot.product_id])
    return recall


def _recall_email(*, lot: Lot, order_number: str, to: str) -> EmailMessage:
    context = {
        "order_number": order_number,
        "lot_number": lot.lot_number,
        "pharmacy": settings.PHARMACY,
    }
    return EmailMessage(
        subject=render_to_string(
            "dispensing/emails/recall_subject.txt", context
        ).strip(),
        body=render_to_string("dispensing/emails/recall_body.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
    )


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def notice_lots(*, notice: dict) -> list[Lot]:
    """The lots one openFDA enforcement report names: a lot number found as a
    whole word in its ``code_info``, of an NDC it lists (the 10-digit package
    NDC, or the labeler and product part of a product NDC)."""
    ndcs = notice.get("openfda", {}) or {}
    package = {_digits(n) for n in ndcs.get("package_ndc", [])}
    product = {_digits(n) for n in ndcs.get("product_ndc", [])}
    words = set(re.findall(r"[A-Za-z0-9-]+", notice.get("code_info", "")))
    return [
        lot
        for lot in Lot.objects.filter(lot_number__in=words)
        if lot.ndc in package or any(lot.ndc.startswith(p) for p in product)
    ]


def recall_notices_import(*, report: dict) -> list[Lot]:
    """Flag every lot an openFDA drug enforcement report (its JSON, with a
    ``results`` list) names; returns the lots newly flagged. Flagged lots are
    not filled and leave the stock count until a pharmacist recalls them."""
    flagged = []
    with transaction.atomic():
        for notice in report.get("results", []):
            number = notice.get("recall_number", "").strip() or "openFDA notice"
            for lot in notice_lots(notice=notice):
                if lot.recall_notice or hasattr(lot, "recall"):
                    continue
                lot.recall_notice = number[:60]
                lot.save(update_fields=["recall_notice"])
                flagged.append(lot)
        counts.stock_counts_sync(product_ids=[lot.product_id for lot in flagged])
    return flagged
