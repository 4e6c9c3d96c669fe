"""Stripe webhooks: verify the signature, record the event, dispatch by type.

An event already handled returns 200 at once (Stripe retries anything else).
A transient failure (Stripe unreachable) rolls the record back and returns 500
so Stripe delivers the event again later.
"""

import logging

from django.db import transaction
from django.http import HttpResponse, HttpResponseBadRequest
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from checkout import fulfilment, orders, stripe_gateway
from checkout.models import CheckoutAttempt, StripeEvent

logger = logging.getLogger(__name__)


class StripeEventHandler:
    """One method per event type we act on; the rest are acknowledged."""

    def handle(self, event) -> None:
        method = getattr(self, "on_" + event.type.replace(".", "_"), None)
        if method is not None:
            method(event.data.object)

    def on_checkout_session_completed(self, session) -> None:
        # With manual capture the card is only authorised; fulfil checks the
        # PaymentIntent itself rather than trusting payment_status.
        self._fulfil(session.id)

    def on_checkout_session_async_payment_succeeded(self, session) -> None:
        self._fulfil(session.id)

    def on_checkout_session_async_payment_failed(self, session) -> None:
        fulfilment.checkout_end(
            session_id=session.id, status=CheckoutAttempt.Status.FAILED
        )

    def on_checkout_session_expired(self, session) -> None:
        fulfilment.checkout_end(
            session_id=session.id, status=CheckoutAttempt.Status.EXPIRED
        )

    @staticmethod
    def _fulfil(session_id: str) -> None:
        try:
            fulfilment.checkout_fulfil(session_id=session_id)
        except (fulfilment.PaymentNotAuthorised, orders.OrderNotPlaced) as exc:
            # Final for this event: recorded on the attempt, money released.
            logger.warning("Stripe session %s: no order placed (%s)", session_id, exc)


@method_decorator(csrf_exempt, name="dispatch")
class StripeWebhookView(View):
    handler = StripeEventHandler()

    def post(self, request):
        try:
            event = stripe_gateway.webhook_event_verify(
                payload=request.body, signature=request.headers.get("Stripe-Signature")
            )
        except ValueError:
            return HttpResponseBadRequest("Invalid payload or signature")
        try:
            with transaction.atomic():
                _, created = StripeEvent.objects.get_or_create(
                    event_id=event.id, defaults={"type": event.type}
                )
                if not created:
                    return HttpResponse("Already handled")
                self.handler.handle(event)
        except stripe_gateway.PaymentGatewayError:
            logger.exception("Stripe event %s: will be retried", event.id)
            return HttpResponse("Temporary failure", status=503)
        return HttpResponse("OK")
