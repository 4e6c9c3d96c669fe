"""Receiving one message from an intermediary and answering it at once: the
door e-prescriptions come in by (the endpoint's views call it).

Each message is kept with the answer it got, whatever it was. A MessageID
already received from the same intermediary is answered with the stored
answer and processed no further: the unique constraint on (intermediary,
MessageID) keeps the first, even when both arrive at the same moment.

A CancelRx moves the orders filled from the prescription through the order
workflow (``order_act``): an approved order not yet dispatched goes back to
the pharmacist's queue; an undecided one is already there, and its history
notes the cancellation.
"""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from oscar.apps.order.models import Order

from checkout.dispensing.eprescribing import content, fhir, inbox, ncpdp
from checkout.dispensing.eprescribing.content import Header, MessageRefused
from checkout.dispensing.eprescribing.models import (
    EPrescription,
    ErxMessage,
    MessageKind,
)
from checkout.orders import actions
from checkout.orders.models import OrderEvent
from checkout.orders.workflow import PRESCRIPTION_WITHDRAWN, UNDECIDED, OrderStatus


@dataclass(frozen=True)
class Answer:
    status: int
    content_type: str
    body: str


def _answer_of(message: ErxMessage) -> Answer:
    return Answer(message.answer_status, message.answer_content_type, message.answer)


def unread_refuse(
    *,
    intermediary: str,
    status: int,
    error: MessageRefused,
    content_type: str,
    body_bytes: int | None,
    fhir_format: bool,
) -> Answer:
    """Refused before its body was read (credentials, size): kept without it."""
    body, answer_type = _error_body(error=error, header=None, fhir_format=fhir_format)
    message = ErxMessage.objects.create(
        intermediary=intermediary,
        content_type=content_type[:100],
        body_bytes=body_bytes,
        outcome=ErxMessage.Outcome.REFUSED,
        error_code=error.code,
        error_words=error.words[:500],
        answer_status=status,
        answer_content_type=answer_type,
        answer=body,
    )
    return _answer_of(message)


def _error_body(*, error, header, fhir_format: bool) -> tuple[str, str]:
    if fhir_format:
        return fhir.outcome(error=error), fhir.CONTENT_TYPE
    return ncpdp.answer(header=header, error=error), ncpdp.CONTENT_TYPE


def script_receive(*, intermediary: str, body: bytes, content_type: str) -> Answer:
    """An NCPDP SCRIPT message (XML): NewRx or CancelRx."""
    raw = body.decode("utf-8", errors="replace")
    header = None
    try:
        root = ncpdp.document_read(body=body)
        header = ncpdp.header_read(root=root)
        kind = ncpdp.message_kind(root=root)
    except MessageRefused as exc:
        return _kept(
            intermediary=intermediary,
            kind="",
            header=header,
            raw=raw,
            body_bytes=len(body),
            content_type=content_type,
            handle=None,
            refused=exc,
        )

    def handle(message: ErxMessage) -> None:
        if kind == "NewRx":
            checked = content.new_rx_check(rx=ncpdp.new_rx_read(root=root))
            inbox.eprescription_create(message=message, checked=checked)
        elif kind == "CancelRx":
            erx = inbox.eprescription_withdraw(
                message=message,
                header=header,
                prescriber_npi=ncpdp.cancel_rx_npi(root=root),
            )
            _orders_withdraw(erx=erx)
        else:
            raise MessageRefused(
                f"{kind or 'An empty Body'} is not handled here: this pharmacy "
                "accepts NewRx and CancelRx."
            )

    return _kept(
        intermediary=intermediary,
        kind=kind if kind in MessageKind.values else "",
        header=header,
        raw=raw,
        body_bytes=len(body),
        content_type=content_type,
        handle=handle,
    )


def fhir_receive(*, intermediary: str, body: bytes, content_type: str) -> Answer:
    """A FHIR R4 Bundle with a MedicationRequest, its Patient and its
    Practitioner: a NewRx by another name."""
    raw = body.decode("utf-8", errors="replace")
    try:
        rx = fhir.bundle_read(body=body)
    except MessageRefused as exc:
        return _kept(
            intermediary=intermediary,
            kind=MessageKind.FHIR_NEW_RX,
            header=None,
            raw=raw,
            body_bytes=len(body),
            content_type=content_type,
            handle=None,
            refused=exc,
            fhir_format=True,
        )

    def handle(message: ErxMessage) -> None:
        checked = content.new_rx_check(rx=rx)
        inbox.eprescription_create(message=message, checked=checked)

    return _kept(
        intermediary=intermediary,
        kind=MessageKind.FHIR_NEW_RX,
        header=rx.header,
        raw=raw,
        body_bytes=len(body),
        content_type=content_type,
        handle=handle,
        fhir_format=True,
    )


def _kept(
    *,
    intermediary: str,
    kind: str,
    header: Header | None,
    raw: str,
    body_bytes: int,
    content_type: str,
    handle,
    refused: MessageRefused | None = None,
    fhir_format: bool = False,
) -> Answer:
    """Store the message, handle it (unless already refused) and store the
    answer, all in one transaction; or answer a repeat as it was answered."""
    message_id = (header.message_id[:64] or None) if header else None
    if message_id:
        repeat = _repeat(intermediary=intermediary, message_id=message_id)
        if repeat is not None:
            return repeat
    try:
        with transaction.atomic():
            message = ErxMessage.objects.create(
                intermediary=intermediary,
                kind=kind,
                message_id=message_id,
                relates_to_message_id=(
                    header.relates_to_message_id[:64] if header else ""
                ),
                content_type=content_type[:100],
                raw=raw,
                body_bytes=body_bytes,
                outcome=ErxMessage.Outcome.ACCEPTED,
                answer_status=200,
                answer_content_type="",
                answer="",
            )
            error = refused
            if error is None and handle is not None:
                try:
                    with transaction.atomic():
                        handle(message)
                except MessageRefused as exc:
                    error = exc
            if error is None:
                message.answer = (
                    fhir.outcome(error=None)
                    if fhir_format
                    else ncpdp.answer(header=header)
                )
                message.answer_content_type = (
                    fhir.CONTENT_TYPE if fhir_format else ncpdp.CONTENT_TYPE
                )
            else:
                message.outcome = ErxMessage.Outcome.REFUSED
                # SCRIPT answers an Error in a 200; FHIR in a 422.
                message.answer_status = 422 if fhir_format else 200
                message.error_code = error.code
                message.error_words = error.words[:500]
                message.answer, message.answer_content_type = _error_body(
                    error=error, header=header, fhir_format=fhir_format
                )
            message.save()
    except IntegrityError:
        # The same MessageID, at the same moment: the first one's answer.
        repeat = message_id and _repeat(
            intermediary=intermediary, message_id=message_id
        )
        if not repeat:
            raise
        return repeat
    return _answer_of(message)


def _repeat(*, intermediary: str, message_id: str) -> Answer | None:
    found = ErxMessage.objects.filter(
        intermediary=intermediary, message_id=message_id
    ).first()
    if found is None:
        return None
    ErxMessage.objects.filter(pk=found.pk).update(
        times_received=F("times_received") + 1, last_received_at=timezone.now()
    )
    return _answer_of(found)


def _orders_withdraw(*, erx: EPrescription) -> None:
    """The orders filled from a withdrawn prescription, back to the
    pharmacist: an approved one through the workflow, an undecided one with a
    line in its history. Dispatched and closed orders are left as they are."""
    record = erx.prescription.record
    orders = Order.objects.filter(
        Q(prescription__refill_of=record) | Q(prescription=erx.prescription),
        status__in=[OrderStatus.APPROVED, *UNDECIDED],
    )
    for order in orders:
        if order.status == OrderStatus.APPROVED:
            try:
                actions.order_act(
                    action=PRESCRIPTION_WITHDRAWN,
                    order=order,
                    actor=None,
                    note=record.withdrawn_reason,
                )
                continue
            except actions.OrderActionRefused:
                # A payment step in flight: the order stays where it is, and
                # its history (and the record) say the prescriber cancelled.
                pass
        OrderEvent.objects.create(
            order=order,
            actor=None,
            action=PRESCRIPTION_WITHDRAWN.history,
            from_status=order.status,
            to_status=order.status,
            note=record.withdrawn_reason,
        )
