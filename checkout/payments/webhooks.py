"""Stripe webhooks: verify the signature, check the event has what we need,
act on it, then record it.

Nothing here holds a transaction around a Stripe call: each handler makes its
own short transactions and is safe to run twice (fulfilment places an order
once), so the event is recorded after it is handled. An event already handled
returns 200 at once. A transient failure (Stripe unreachable) records nothing
and returns 503, so Stripe delivers the event again later. A signed event
without the fields we need is recorded with the problem and answered 400.
"""

import hashlib
import logging

from django.conf import settings
from django.http import HttpResponse, HttpResponseBadRequest
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from checkout.orders import placing
from checkout.orders.models import CheckoutAttempt
from checkout.payments import fulfilment, invoice_cards, repayment, stripe_gateway
from checkout.payments.models import StripeEvent
from pharmacy.core import bodies

logger = logging.getLogger(__name__)


class StripeEventHandler:
    """One method per event type we act on; the rest are acknowledged."""

    def handles(self, event_type: str) -> bool:
        return hasattr(self, self._method_name(event_type))

    @staticmethod
    def _method_name(event_type: str) -> str:
        return "on_" + event_type.replace(".", "_")

    def handle(self, event) -> None:
        method = getattr(self, self._method_name(event["type"]), None)
        if method is not None:
            method(event["data"]["object"])

    def on_checkout_session_async_payment_failed(self, session) -> None:
        fulfilment.checkout_end(
            session_id=session["id"], status=CheckoutAttempt.Status.FAILED
        )

    def on_checkout_session_expired(self, session) -> None:
        fulfilment.checkout_end(
            session_id=session["id"], status=CheckoutAttempt.Status.EXPIRED
        )

    def on_checkout_session_completed(self, session) -> None:
        # With manual capture the card is only authorised; fulfil checks the
        # PaymentIntent itself rather than trusting payment_status.
        self._fulfil(session["id"], metadata=session.get("metadata"))

    def on_checkout_session_async_payment_succeeded(self, session) -> None:
        self._fulfil(session["id"], metadata=session.get("metadata"))

    @staticmethod
    def _fulfil(session_id: str, metadata) -> None:
        purpose = metadata.get("purpose") if isinstance(metadata, dict) else None
        try:
            if purpose == invoice_cards.PURPOSE:
                fulfilment.invoice_card_fulfil(session_id=session_id)
            elif repayment.is_pay_again_session(session_id=session_id):
                fulfilment.pay_again_fulfil(session_id=session_id)
            else:
                fulfilment.checkout_fulfil(session_id=session_id)
        except (
            fulfilment.PaymentNotAuthorised,
            placing.OrderNotPlaced,
            repayment.PayAgainRefused,
            invoice_cards.InvoiceCardRefused,
        ) as exc:
            # Final for this event: recorded on the attempt, money released.
            logger.warning("Stripe session %s: no order placed (%s)", session_id, exc)


def _text(value) -> str | None:
    return value if isinstance(value, str) and value else None


def event_problem(event, handler: StripeEventHandler) -> str | None:
    """Why a correctly signed event can't be used, or None."""
    if not _text(event.get("id")):
        return "event has no id"
    if not _text(event.get("type")):
        return "event has no type"
    if not handler.handles(event["type"]):
        return None
    data = event.get("data")
    obj = data.get("object") if isinstance(data, dict) else None
    if not isinstance(obj, dict):
        return "event has no data.object"
    if not _text(obj.get("id")):
        return "event's object has no id"
    return None


def _record(*, event_id: str, type_: str, problem: str = "") -> None:
    # get_or_create copes with a concurrent delivery recording it first.
    StripeEvent.objects.get_or_create(
        event_id=event_id[:255], defaults={"type": type_[:128], "problem": problem}
    )


@method_decorator(csrf_exempt, name="dispatch")
class StripeWebhookView(View):
    handler = StripeEventHandler()

    def post(self, request):
        try:
            # Before the signature and the parser: a signed body can still be
            # one that would exhaust the parser (RecursionError, memory).
            bodies.json_body_check(
                request.body, max_bytes=settings.STRIPE_WEBHOOK_MAX_BYTES
            )
        except bodies.BodyRefused as refused:
            logger.warning("Stripe webhook body refused: %s", refused)
            return HttpResponseBadRequest(f"Refused: {refused}")
        try:
            event = stripe_gateway.webhook_event_verify(
                payload=request.body, signature=request.headers.get("Stripe-Signature")
            )
        except ValueError:
            return HttpResponseBadRequest("Invalid payload or signature")
        problem = event_problem(event, self.handler)
        if problem:
            event_id = _text(event.get("id")) or (
                "unidentified-" + hashlib.sha256(request.body).hexdigest()[:32]
            )
            _record(
                event_id=event_id,
                type_=str(event.get("type") or ""),
                problem=problem,
            )
            logger.warning("Stripe event %s refused: %s", event_id, problem)
            return HttpResponseBadRequest(f"Unusable event: {problem}")
        existing = StripeEvent.objects.filter(event_id=event["id"]).first()
        if existing is not None:
            if existing.problem:
                return HttpResponseBadRequest(f"Unusable event: {existing.problem}")
            return HttpResponse("Already handled")
        try:
            self.handler.handle(event)
        except stripe_gateway.PaymentGatewayError:
            logger.exception("Stripe event %s: will be retried", event["id"])
            return HttpResponse("Temporary failure", status=503)
        _record(event_id=event["id"], type_=event["type"])
        return HttpResponse("OK")
