"""Where an order's money can be, and the moves allowed between the states.
Plain values (no models), so the order workflow that names them can be read
by the settings."""

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
    INVOICE_PAID = "invoice_paid", "Invoice paid"
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
    # AUTHORISED again: the approval was withdrawn (an order put on hold)
    # before the card was charged, and Stripe confirms it was not.
    PaymentState.CAPTURE_REQUESTED: frozenset(
        {PaymentState.CAPTURED, PaymentState.CAPTURE_FAILED, PaymentState.AUTHORISED}
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
    # Paid once the payments recorded against it reach its amount.
    PaymentState.INVOICED: frozenset({PaymentState.VOID, PaymentState.INVOICE_PAID}),
    PaymentState.INVOICE_PAID: frozenset(),
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
