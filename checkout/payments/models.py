"""How an order is paid and where its money is: the payment's states, the
moves allowed between them, and the one record per order that holds them."""

from django.conf import settings
from django.db import models


class PaymentMethod(models.TextChoices):
    INVOICE = "invoice", "Invoice after pharmacist approval"
    CARD = "card", "Card (authorised now, charged after approval)"


class PaymentState(models.TextChoices):
    """Where an order's money is. The *_REQUESTED states mean a Stripe call was
    decided and may or may not have reached Stripe: reconciliation settles them."""

    AUTHORISED = "authorised", "Card authorised"
    CAPTURE_REQUESTED = "capture_requested", "Capture requested"
    CAPTURED = "captured", "Card charged"
    CAPTURE_FAILED = "capture_failed", "Payment problem"
    RELEASE_REQUESTED = "release_requested", "Release requested"
    RELEASED = "released", "Card hold released"
    REFUND_REQUESTED = "refund_requested", "Refund requested"
    REFUNDED = "refunded", "Refunded"
    INVOICE_DUE = "invoice_due", "Invoice on approval"
    INVOICED = "invoiced", "Invoice issued"
    VOID = "void", "Invoice voided"


PAYMENT_TRANSITIONS: dict[str, frozenset[str]] = {
    # CAPTURE_FAILED straight from AUTHORISED: Stripe let the hold lapse.
    PaymentState.AUTHORISED: frozenset(
        {
            PaymentState.CAPTURE_REQUESTED,
            PaymentState.RELEASE_REQUESTED,
            PaymentState.CAPTURE_FAILED,
        }
    ),
    PaymentState.CAPTURE_REQUESTED: frozenset(
        {PaymentState.CAPTURED, PaymentState.CAPTURE_FAILED}
    ),
    # The customer paid again (a new authorisation), the pharmacist retries,
    # or the order is rejected or cancelled.
    PaymentState.CAPTURE_FAILED: frozenset(
        {
            PaymentState.AUTHORISED,
            PaymentState.CAPTURE_REQUESTED,
            PaymentState.RELEASE_REQUESTED,
        }
    ),
    PaymentState.RELEASE_REQUESTED: frozenset({PaymentState.RELEASED}),
    PaymentState.CAPTURED: frozenset({PaymentState.REFUND_REQUESTED}),
    PaymentState.REFUND_REQUESTED: frozenset({PaymentState.REFUNDED}),
    PaymentState.INVOICE_DUE: frozenset({PaymentState.INVOICED, PaymentState.VOID}),
    PaymentState.INVOICED: frozenset({PaymentState.VOID}),
    PaymentState.RELEASED: frozenset(),
    PaymentState.REFUNDED: frozenset(),
    PaymentState.VOID: frozenset(),
}

# A Stripe call was decided; the outcome may not be recorded yet.
PAYMENT_IN_FLIGHT = frozenset(
    {
        PaymentState.CAPTURE_REQUESTED,
        PaymentState.RELEASE_REQUESTED,
        PaymentState.REFUND_REQUESTED,
    }
)


class OrderPayment(models.Model):
    """An order's payment: how it is paid and where the money is. The one
    place that says whether an order is paid by card."""

    class Action(models.TextChoices):
        APPROVE = "approve", "Approve"
        REJECT = "reject", "Reject"
        CANCEL = "cancel", "Cancel"

    order = models.OneToOneField(
        "order.Order", on_delete=models.CASCADE, related_name="payment"
    )
    method = models.CharField(max_length=16, choices=PaymentMethod.choices)
    state = models.CharField(max_length=32, choices=PaymentState.choices)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3)
    payment_intent_id = models.CharField(max_length=255, blank=True, db_index=True)
    authorised_at = models.DateTimeField(null=True, blank=True)
    # What a pharmacist asked for, kept until Stripe's answer is recorded, so
    # that reconciliation can finish the action after a crash.
    pending_action = models.CharField(max_length=16, choices=Action.choices, blank=True)
    pending_actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    pending_reason = models.TextField(blank=True)
    problem = models.TextField(blank=True)
    # Pay-again Checkout Sessions made after a failed capture.
    retry_count = models.PositiveSmallIntegerField(default=0)
    retry_session_id = models.CharField(max_length=255, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["state"], name="orderpayment_state_idx")]

    def __str__(self) -> str:
        return f"Payment for order {self.order.number} ({self.state})"

    @property
    def is_card(self) -> bool:
        return self.method == PaymentMethod.CARD


class StripeEvent(models.Model):
    """Webhook events already handled, so a retried or replayed event is a no-op.
    A signed event we could not use is kept too, with why."""

    event_id = models.CharField(max_length=255, unique=True)
    type = models.CharField(max_length=128)
    problem = models.TextField(blank=True)
    received_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.event_id
