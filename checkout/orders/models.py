"""The order's own records beside Oscar's: every change with who made it
(OrderEvent), and each press of "Place order" (CheckoutAttempt). Its statuses
are declared with the workflow (workflow.py).
Registered under the checkout app's label (checkout/models.py)."""

from django.conf import settings
from django.db import models

from checkout.payments.states import PaymentMethod


class CheckoutAttempt(models.Model):
    """One press of "Place order": everything needed to place the order later,
    from a Stripe webhook with no session, exactly once."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for payment"
        PLACED = "placed", "Order placed"
        CANCELLED = "cancelled", "Cancelled by the shopper"
        EXPIRED = "expired", "Payment page expired"
        MISMATCH = "mismatch", "Amount mismatch: no order placed"
        FAILED = "failed", "Failed"

    basket = models.ForeignKey("basket.Basket", on_delete=models.PROTECT)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    guest_email = models.EmailField(blank=True)
    order_number = models.CharField(max_length=128)
    attempt = models.PositiveSmallIntegerField(default=1)
    payment_method = models.CharField(max_length=16, choices=PaymentMethod.choices)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3)
    shipping_method_code = models.CharField(max_length=64)
    shipping_address = models.JSONField()
    stripe_session_id = models.CharField(max_length=255, blank=True, db_index=True)
    stripe_payment_intent_id = models.CharField(max_length=255, blank=True)
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.PENDING
    )
    note = models.TextField(blank=True)
    order = models.OneToOneField(
        "order.Order",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="checkout_attempt",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["order_number", "attempt"], name="unique_checkout_attempt"
            )
        ]

    def __str__(self) -> str:
        return f"Checkout {self.order_number}/{self.attempt} ({self.status})"


class OrderEvent(models.Model):
    """Audit trail: who changed an order, when, from what to what, and why."""

    order = models.ForeignKey(
        "order.Order", on_delete=models.CASCADE, related_name="events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True
    )
    action = models.CharField(max_length=32)
    from_status = models.CharField(max_length=64, blank=True)
    to_status = models.CharField(max_length=64, blank=True)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        # The figures page reads waiting times from these events
        # (checkout/waiting_times.py); the permission sits with them.
        permissions = [
            ("view_pharmacy_figures", "Can see the pharmacy's figures"),
        ]

    def __str__(self) -> str:
        return f"{self.order.number}: {self.action}"
