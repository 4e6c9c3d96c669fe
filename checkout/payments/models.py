"""How an order is paid and where its money is (states in states.py), in one
record per order; and the Stripe events already handled."""

from django.conf import settings
from django.db import models

from checkout.payments.states import PaymentMethod, PaymentState


class OrderPayment(models.Model):
    """An order's payment: how it is paid and where the money is. The one
    place that says whether an order is paid by card."""

    class Action(models.TextChoices):
        """The workflow action (checkout/orders/workflow.py) whose money is in
        flight."""

        APPROVE = "approve", "Approve"
        REJECT = "reject", "Reject"
        CANCEL = "cancel", "Cancel"
        REFUND = "refund", "Cancel and refund"

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
    # Checkout Sessions made after the order was placed: to pay again after
    # a failed capture, or to pay an invoice by card (keys their idempotency).
    retry_count = models.PositiveSmallIntegerField(default=0)
    retry_session_id = models.CharField(max_length=255, blank=True, db_index=True)
    # An invoice's due date, fixed when it is issued (invoices.py).
    invoice_due_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["state"], name="orderpayment_state_idx")]

    def __str__(self) -> str:
        return f"Payment for order {self.order.number} ({self.state})"

    @property
    def is_card(self) -> bool:
        return self.method == PaymentMethod.CARD


class InvoicePaymentReceived(models.Model):
    """Money received against an invoice: how much, when it arrived and how,
    and who recorded it when (no one for a card payment Stripe confirmed:
    the reference is then its PaymentIntent). Written only by the order
    workflow's "payment received" actions (invoices.py)."""

    class Method(models.TextChoices):
        BANK_TRANSFER = "bank_transfer", "Bank transfer"
        CHECK = "check", "Check"
        CARD_BY_PHONE = "card_by_phone", "Card, by phone"
        CASH = "cash", "Cash"
        # Paid online through the invoice's "Pay by card" link; Stripe's word.
        CARD_ONLINE = "card_online", "Card, online"

    payment = models.ForeignKey(
        OrderPayment, on_delete=models.PROTECT, related_name="received"
    )
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    received_on = models.DateField()
    method = models.CharField(max_length=16, choices=Method.choices)
    reference = models.CharField(max_length=120, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["recorded_at", "id"]
        # One Stripe payment is recorded once, however often Stripe says so.
        constraints = [
            models.UniqueConstraint(
                fields=["reference"],
                condition=models.Q(method="card_online"),
                name="invoice_card_payment_once",
            )
        ]
        permissions = [
            ("record_invoice_payment", "Can record payments received for invoices")
        ]

    def __str__(self) -> str:
        return f"{self.amount} received for order {self.payment.order.number}"


class StripeEvent(models.Model):
    """Webhook events already handled, so a retried or replayed event is a no-op.
    A signed event we could not use is kept too, with why."""

    event_id = models.CharField(max_length=255, unique=True)
    type = models.CharField(max_length=128)
    problem = models.TextField(blank=True)
    received_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.event_id
