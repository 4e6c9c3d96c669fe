"""The only module that talks to Stripe.

Amounts cross this boundary as Decimal dollars and are converted to integer
cents here, once. Every call raises PaymentGatewayError (a clear, shopper-safe
message) for any Stripe or network failure.
"""

from dataclasses import dataclass
from decimal import Decimal

import stripe
from django.conf import settings

CENTS = Decimal(100)


class PaymentGatewayError(Exception):
    """Stripe refused or could not be reached. The message is safe to show.
    Raised as itself, the outcome is unknown (a timeout may hide a success)."""


class PaymentRefused(PaymentGatewayError):
    """Stripe answered no (a decline, or a state that forbids the call): the
    call did nothing. ``code`` is Stripe's error code, if any."""

    def __init__(
        self, message: str, *, code: str = "", detail: str = "", declined=False
    ):
        super().__init__(message)
        self.code = code
        self.declined = declined
        # Stripe's own words, for staff.
        self.detail = detail or message


@dataclass(frozen=True)
class Intent:
    """What Stripe says about a PaymentIntent now."""

    id: str
    status: str
    amount_capturable: Decimal
    amount_received: Decimal
    currency: str
    cancellation_reason: str


@dataclass(frozen=True)
class Authorisation:
    payment_intent_id: str
    status: str
    amount_capturable: Decimal
    currency: str


def is_enabled() -> bool:
    return bool(settings.STRIPE_SECRET_KEY)


def to_cents(amount: Decimal) -> int:
    return int((amount * CENTS).to_integral_value())


def from_cents(cents: int) -> Decimal:
    return (Decimal(cents) / CENTS).quantize(Decimal("0.01"))


def _client() -> stripe.StripeClient:
    kwargs = {
        "http_client": stripe.RequestsClient(timeout=settings.STRIPE_TIMEOUT_SECONDS),
        "max_network_retries": 2,
    }
    if settings.STRIPE_API_BASE:
        kwargs["base_addresses"] = {"api": settings.STRIPE_API_BASE}
    return stripe.StripeClient(settings.STRIPE_SECRET_KEY, **kwargs)


def _call(what: str, fn, *args, **kwargs):
    try:
        return fn(*args, **kwargs)
    except stripe.CardError as exc:
        message = (
            exc.user_message or "Your card was declined. No payment has been taken."
        )
        raise PaymentRefused(
            message,
            code=exc.code or "card_declined",
            declined=True,
            detail=f"Card declined ({exc.code or 'card_declined'}): {message}",
        ) from exc
    except stripe.InvalidRequestError as exc:
        raise PaymentRefused(
            f"Our card processor would not {what} just now. No payment has been taken.",
            code=exc.code or "",
            detail=f"Stripe refused ({exc.code or exc.http_status}): "
            f"{exc.user_message or ''}",
        ) from exc
    except stripe.StripeError as exc:
        raise PaymentGatewayError(
            f"We could not {what} with our card processor just now. No payment has "
            "been taken; please try again in a few minutes."
        ) from exc


def checkout_session_create(
    *,
    order_number: str,
    attempt: int | str,
    amount: Decimal,
    currency: str,
    customer_email: str,
    success_url: str,
    cancel_url: str,
    idempotency_key: str | None = None,
    capture_now: bool = False,
    purpose: str = "order",
) -> tuple[str, str]:
    """A hosted Checkout page that only authorises the card (manual capture),
    or, ``capture_now``, charges it at once (an invoice already approved).

    Returns (session id, URL to send the shopper to). One line for the whole
    amount, so Stripe takes exactly what we computed. ``purpose`` goes in the
    metadata, so the webhook knows what the session was for.
    """
    metadata = {"order_number": order_number, "attempt": str(attempt)}
    if purpose != "order":
        metadata["purpose"] = purpose
    params = {
        "mode": "payment",
        "client_reference_id": f"{order_number}-{attempt}",
        "customer_email": customer_email or None,
        "line_items": [
            {
                "quantity": 1,
                "price_data": {
                    "currency": currency.lower(),
                    "unit_amount": to_cents(amount),
                    "product_data": {"name": f"Order {order_number}"},
                },
            }
        ],
        "payment_intent_data": {
            "capture_method": "automatic" if capture_now else "manual",
            "metadata": metadata,
        },
        "metadata": metadata,
        "success_url": success_url,
        "cancel_url": cancel_url,
    }
    params = {k: v for k, v in params.items() if v is not None}
    session = _call(
        "start the payment",
        _client().v1.checkout.sessions.create,
        params,
        # Oscar reuses order numbers when a checkout is retried: key on the attempt.
        {
            "idempotency_key": idempotency_key
            or f"checkout-session-{order_number}-{attempt}"
        },
    )
    return session.id, session.url


def checkout_session_authorisation(*, session_id: str) -> Authorisation | None:
    """The card authorisation behind a Checkout Session, or None if none yet."""
    client = _client()
    session = _call(
        "check the payment", client.v1.checkout.sessions.retrieve, session_id
    )
    intent_id = session.payment_intent
    if not intent_id:
        return None
    if not isinstance(intent_id, str):
        intent_id = intent_id.id
    intent = _call("check the payment", client.v1.payment_intents.retrieve, intent_id)
    return Authorisation(
        payment_intent_id=intent.id,
        status=intent.status,
        amount_capturable=from_cents(intent.amount_capturable or 0),
        currency=intent.currency.upper(),
    )


@dataclass(frozen=True)
class SessionPaid:
    """A Checkout Session Stripe says is paid, and what it was for."""

    order_number: str
    purpose: str
    payment_intent_id: str
    amount_received: Decimal
    currency: str


def checkout_session_paid(*, session_id: str) -> SessionPaid | None:
    """The money a charge-at-once Checkout Session took, or None while it
    has taken none (open, expired, or still processing)."""
    client = _client()
    session = _call(
        "check the payment", client.v1.checkout.sessions.retrieve, session_id
    )
    intent_id = session.payment_intent
    if session.payment_status != "paid" or not intent_id:
        return None
    if not isinstance(intent_id, str):
        intent_id = intent_id.id
    intent = _call("check the payment", client.v1.payment_intents.retrieve, intent_id)
    if intent.status != "succeeded":
        return None
    metadata = session.metadata.to_dict() if session.metadata else {}
    return SessionPaid(
        order_number=metadata.get("order_number", ""),
        purpose=metadata.get("purpose", "order"),
        payment_intent_id=intent.id,
        amount_received=from_cents(intent.amount_received or 0),
        currency=intent.currency.upper(),
    )


def payment_intent_get(*, payment_intent_id: str) -> Intent:
    intent = _call(
        "check the payment", _client().v1.payment_intents.retrieve, payment_intent_id
    )
    return Intent(
        id=intent.id,
        status=intent.status,
        amount_capturable=from_cents(intent.amount_capturable or 0),
        amount_received=from_cents(intent.amount_received or 0),
        currency=intent.currency.upper(),
        cancellation_reason=getattr(intent, "cancellation_reason", None) or "",
    )


def payment_capture(*, payment_intent_id: str, amount: Decimal) -> Decimal:
    """Charge an authorised card. Returns the amount captured."""
    intent = _call(
        "take the payment",
        _client().v1.payment_intents.capture,
        payment_intent_id,
        {"amount_to_capture": to_cents(amount)},
        {"idempotency_key": f"capture-{payment_intent_id}"},
    )
    return from_cents(intent.amount_received or 0)


def payment_release(*, payment_intent_id: str) -> None:
    """Cancel an authorisation so the hold on the customer's card is lifted."""
    _call(
        "release the payment",
        _client().v1.payment_intents.cancel,
        payment_intent_id,
        None,
        {"idempotency_key": f"release-{payment_intent_id}"},
    )


def payment_refund(*, payment_intent_id: str) -> None:
    try:
        _call(
            "refund the payment",
            _client().v1.refunds.create,
            {"payment_intent": payment_intent_id},
            {"idempotency_key": f"refund-{payment_intent_id}"},
        )
    except PaymentRefused as exc:
        if exc.code != "charge_already_refunded":
            raise


def webhook_event_verify(*, payload: bytes, signature: str | None) -> dict:
    """A Stripe event as plain JSON data, if the signature is ours; raises
    ValueError otherwise. Its fields are not checked here."""
    if not settings.STRIPE_WEBHOOK_SECRET:
        raise ValueError("webhooks are not configured")
    try:
        event = stripe.Webhook.construct_event(
            payload, signature, settings.STRIPE_WEBHOOK_SECRET
        )
    except stripe.SignatureVerificationError as exc:
        raise ValueError("bad signature") from exc
    except (TypeError, AttributeError, KeyError) as exc:  # JSON, but not an object
        raise ValueError("not a Stripe event") from exc
    data = event.to_dict()
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    return data
