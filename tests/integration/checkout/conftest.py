"""A fake Stripe, faked only at the HTTP boundary.

pytest-httpserver answers on 127.0.0.1 with canned Stripe JSON, and the real
``stripe`` library (through checkout.stripe_gateway) talks to it: real form
encoding, real retries, real error classes. The fake keeps a little state so
that what it answers follows from what it was asked (the PaymentIntent
authorises what the Checkout Session asked for, an idempotency key replays the
first reply), and it records every request so tests can assert on them.
"""

import json
import re
import socket
import threading
import time
from dataclasses import dataclass, field

import pytest
import stripe
from django.urls import reverse
from pytest_httpserver import HTTPServer
from werkzeug import Response

from checkout.orders.models import CheckoutAttempt
from tests.checkout_helpers import guest_checkout_to_preview

SECRET_KEY = "sk_test_x"
WEBHOOK_SECRET = "whsec_test"
LOOPBACK = {"127.0.0.1", "::1", "localhost"}


@pytest.fixture
def no_internet(monkeypatch):
    """Any connection that is not to this machine fails the test at once."""
    real_connect = socket.socket.connect

    def connect(sock, address):
        if sock.family in (socket.AF_INET, socket.AF_INET6):
            host = address[0]
            if host not in LOOPBACK:
                raise AssertionError(f"A test tried to reach {address!r}")
        return real_connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", connect)


@dataclass
class Call:
    """One request the fake received."""

    method: str
    path: str
    form: dict
    headers: dict = field(repr=False)

    @property
    def idempotency_key(self) -> str | None:
        return self.headers.get("Idempotency-Key")


def _error(status: int, type_: str, message: str, code: str | None = None):
    error = {"type": type_, "message": message}
    if code:
        error["code"] = code
    return status, {"error": error}


class FakeStripe:
    """Checkout Sessions, PaymentIntents (manual capture) and refunds."""

    def __init__(self, server, settings):
        self.server = server
        self.settings = settings
        self.calls: list[Call] = []
        self.sessions: dict[str, dict] = {}
        self.intents: dict[str, dict] = {}
        self.refunds: list[dict] = []
        # Where a session sends the shopper. A browser test uses Stripe's real
        # host, the only one the Content-Security-Policy lets a form go to.
        self.pages = "https://checkout.stripe.test/pay/"
        self.failures: dict[tuple[str, str], tuple[int, dict, dict]] = {}
        self.handler_errors: list[str] = []
        # Seconds to wait before answering ``(method, path)``, after acting on
        # it: a Stripe that does the work but answers too late (a timeout).
        self.delays: dict[tuple[str, str], float] = {}
        # Captures that really moved money (a refused or replayed one doesn't).
        self.captures_made = 0
        self._replies: dict[str, tuple[int, dict]] = {}
        # When set, each PaymentIntent look-up waits here: lets tests line up
        # two fulfilments so they race for the order (needs a threaded server).
        self.intent_gate: threading.Barrier | None = None
        self.routes = [
            ("POST", r"/v1/checkout/sessions", self._session_create),
            ("GET", r"/v1/checkout/sessions/(?P<id>[^/]+)", self._session_get),
            ("GET", r"/v1/payment_intents/(?P<id>[^/]+)", self._intent_get),
            (
                "POST",
                r"/v1/payment_intents/(?P<id>[^/]+)/capture",
                self._intent_capture,
            ),
            ("POST", r"/v1/payment_intents/(?P<id>[^/]+)/cancel", self._intent_cancel),
            ("POST", r"/v1/refunds", self._refund_create),
        ]
        server.expect_request(re.compile(r"^/.*$")).respond_with_handler(self._handle)
        self.online()

    # -- what tests call -------------------------------------------------

    def online(self) -> None:
        self.settings.STRIPE_API_BASE = self.server.url_for("").rstrip("/")

    def offline(self) -> None:
        """Point the client at a port nobody listens on: connection refused."""
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        self.settings.STRIPE_API_BASE = f"http://127.0.0.1:{port}"

    def fail(self, method: str, path: str, status: int = 500, error=None, **headers):
        """Answer every ``method path`` with an error until recover()."""
        error = error or {"type": "api_error", "message": "Something went wrong."}
        self.failures[(method, path)] = (status, {"error": error}, headers)

    def recover(self) -> None:
        self.failures.clear()
        self.online()

    def requests(self, method: str, path: str) -> list[Call]:
        return [c for c in self.calls if c.method == method and c.path == path]

    def intent(self, intent_id: str = "pi_test_1") -> dict:
        return self.intents[intent_id]

    def lapse(self, intent_id: str = "pi_test_1") -> None:
        """Stripe cancels an authorisation not captured within 7 days."""
        self.intents[intent_id].update(
            status="canceled", amount_capturable=0, cancellation_reason="automatic"
        )

    def decline_captures(self, intent_id: str = "pi_test_1") -> None:
        self.fail(
            "POST",
            f"/v1/payment_intents/{intent_id}/capture",
            402,
            error={
                "type": "card_error",
                "code": "card_declined",
                "decline_code": "insufficient_funds",
                "message": "Your card has insufficient funds.",
            },
        )

    # -- the HTTP side ---------------------------------------------------

    def _handle(self, request) -> Response:
        try:
            call = Call(
                method=request.method,
                path=request.path,
                form=request.form.to_dict() | request.args.to_dict(),
                headers=dict(request.headers),
            )
            self.calls.append(call)
            if request.headers.get("Authorization") != f"Bearer {SECRET_KEY}":
                return self._reply(*_error(401, "invalid_request_error", "Bad key"))
            if (call.method, call.path) in self.failures:
                status, body, headers = self.failures[(call.method, call.path)]
                return self._reply(status, body, headers)
            # Stripe replays the first reply to a repeated idempotency key.
            key = call.idempotency_key
            if key and key in self._replies:
                self._wait(call)
                return self._reply(*self._replies[key], {"Idempotent-Replayed": "true"})
            for method, pattern, handler in self.routes:
                match = re.fullmatch(pattern, call.path)
                if method == call.method and match:
                    status, body = handler(call, **match.groupdict())
                    break
            else:
                self.handler_errors.append(f"No route for {call.method} {call.path}")
                status, body = _error(404, "invalid_request_error", "No such route")
            if key and call.method == "POST":
                self._replies[key] = (status, body)
            self._wait(call)
            return self._reply(status, body)
        except Exception as exc:  # a bug in the fake must fail the test
            self.handler_errors.append(repr(exc))
            raise

    def _wait(self, call: Call) -> None:
        delay = self.delays.get((call.method, call.path))
        if delay:
            time.sleep(delay)

    @staticmethod
    def _reply(status: int, body: dict, headers: dict | None = None) -> Response:
        response = Response(
            json.dumps(body), status=status, content_type="application/json"
        )
        response.headers["Request-Id"] = "req_fake"
        for name, value in (headers or {}).items():
            response.headers[name.replace("_", "-")] = value
        return response

    def _session_create(self, call: Call):
        n = len(self.sessions) + 1
        form = call.form
        amount = int(form["line_items[0][price_data][unit_amount]"]) * int(
            form["line_items[0][quantity]"]
        )
        currency = form["line_items[0][price_data][currency]"]
        session_id, intent_id = f"cs_test_{n}", f"pi_test_{n}"
        capture_now = form.get("payment_intent_data[capture_method]") == "automatic"
        # As if the shopper authorises their card on Stripe's page (or pays,
        # for a session that charges at once).
        self.intents[intent_id] = {
            "id": intent_id,
            "object": "payment_intent",
            "amount": amount,
            "amount_capturable": 0 if capture_now else amount,
            "amount_received": amount if capture_now else 0,
            "capture_method": form.get("payment_intent_data[capture_method]"),
            "currency": currency,
            "status": "succeeded" if capture_now else "requires_capture",
            "metadata": {},
        }
        metadata = {
            key[len("metadata[") : -1]: value
            for key, value in form.items()
            if key.startswith("metadata[")
        }
        self.sessions[session_id] = {
            "id": session_id,
            "object": "checkout.session",
            "mode": "payment",
            "url": f"{self.pages}{session_id}",
            "amount_total": amount,
            "currency": currency,
            "client_reference_id": form.get("client_reference_id"),
            "success_url": form.get("success_url"),
            "cancel_url": form.get("cancel_url"),
            "payment_intent": intent_id,
            "payment_status": "paid" if capture_now else "unpaid",
            "status": "complete",
            "metadata": metadata,
        }
        # Stripe creates the PaymentIntent when the shopper pays, not before.
        created = self.sessions[session_id] | {"payment_intent": None, "status": "open"}
        return 200, created

    def _session_get(self, call: Call, id: str):
        if id not in self.sessions:
            return _error(404, "invalid_request_error", "No such session", "missing")
        return 200, self.sessions[id]

    def _intent_get(self, call: Call, id: str):
        if id not in self.intents:
            return _error(404, "invalid_request_error", "No such intent", "missing")
        if self.intent_gate is not None:
            self.intent_gate.wait(timeout=10)
        return 200, self.intents[id]

    def _intent_capture(self, call: Call, id: str):
        intent = self.intents[id]
        if intent["status"] != "requires_capture":
            return _error(
                400,
                "invalid_request_error",
                "This PaymentIntent could not be captured.",
                "payment_intent_unexpected_state",
            )
        amount = int(call.form.get("amount_to_capture", intent["amount_capturable"]))
        intent.update(status="succeeded", amount_received=amount, amount_capturable=0)
        self.captures_made += 1
        return 200, intent

    def _intent_cancel(self, call: Call, id: str):
        intent = self.intents[id]
        if intent["status"] in ("succeeded", "canceled"):
            return _error(
                400,
                "invalid_request_error",
                "This PaymentIntent could not be canceled.",
                "payment_intent_unexpected_state",
            )
        intent.update(status="canceled", amount_capturable=0)
        return 200, intent

    def _refund_create(self, call: Call):
        intent = self.intents[call.form["payment_intent"]]
        refund = {
            "id": f"re_test_{len(self.refunds) + 1}",
            "object": "refund",
            "amount": intent["amount_received"],
            "currency": intent["currency"],
            "payment_intent": intent["id"],
            "status": "succeeded",
        }
        self.refunds.append(refund)
        return 200, refund


@pytest.fixture
def stripe_server(request, httpserver):
    """The HTTP server the fake answers on. Parametrize it indirectly with
    "threaded" for a server that answers concurrent requests."""
    if getattr(request, "param", None) != "threaded":
        yield httpserver
        return
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    yield server
    server.clear()
    server.stop()


@pytest.fixture
def fake_stripe(settings, stripe_server, no_internet):
    settings.STRIPE_SECRET_KEY = SECRET_KEY
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    fake = FakeStripe(stripe_server, settings)
    yield fake
    assert fake.handler_errors == []


def add_url(product) -> str:
    return reverse(
        "catalogue:add-variant", kwargs={"product_slug": product.slug, "pk": product.pk}
    )


@pytest.fixture
def start_card_checkout(client, drug, fake_stripe, private_root):
    """Drive the real views as a guest and press "Place order" paying by card.

    Returns the response to the press and the CheckoutAttempt it recorded.
    """

    def start(*, to_preview: bool = True):
        if to_preview:
            guest_checkout_to_preview(
                client, product_page_add_url=add_url(drug.product), payment="card"
            )
        response = client.post(reverse("checkout:preview"), {"action": "place_order"})
        return response, CheckoutAttempt.objects.order_by("-pk").first()

    return start


def stripe_event(
    type_: str,
    *,
    event_id: str = "evt_test_1",
    session_id: str = "cs_test_1",
    metadata: dict | None = None,
) -> str:
    """The JSON body Stripe posts for a Checkout Session event."""
    return json.dumps(
        {
            "id": event_id,
            "object": "event",
            "api_version": "2024-06-20",
            "created": int(time.time()),
            "livemode": False,
            "type": type_,
            "data": {
                "object": {
                    "id": session_id,
                    "object": "checkout.session",
                    "mode": "payment",
                    "payment_status": "unpaid",
                    "status": "expired" if type_.endswith("expired") else "complete",
                    "metadata": metadata or {},
                }
            },
        }
    )


def webhook_post(
    client,
    payload: str,
    *,
    secret: str = WEBHOOK_SECRET,
    timestamp: int | None = None,
    signature: str | None = None,
    signed: bool = True,
):
    """POST a Stripe event to our webhook, signed as Stripe signs it."""
    headers = {}
    if signed:
        headers["Stripe-Signature"] = (
            signature
            if signature is not None
            else stripe.WebhookSignature.generate_signature_header(
                payload, secret, timestamp=timestamp or int(time.time())
            )
        )
    return client.post(
        reverse("checkout:stripe-webhook"),
        data=payload,
        content_type="application/json",
        headers=headers,
    )
