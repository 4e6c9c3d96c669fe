"""Words the queue and the review page show about an order's money.

Each helper reads only what the caller loaded (the queue selects each order's
payment with it), so the queue costs the same number of queries for 1 order as
for 100. The payment's state is the order's OrderPayment (checkout.payments),
never a payment source's name.
"""

import datetime

from checkout.payments import invoices, ledger
from checkout.payments.states import PaymentMethod, PaymentState


def authorisation_summary(order, *, now: datetime.datetime | None = None) -> str:
    """The payment column: a payment problem, or the time left on the hold
    (flagged when it lapses within 24 hours)."""
    return ledger.payment_summary(order, now=now)


def card_effect(order, *, action: str) -> str:
    """What an action will do to the customer's card or invoice, in words the
    confirmation page shows before the pharmacist commits."""
    payment = ledger.payment_loaded(order)
    by_card = payment is not None and payment.method == PaymentMethod.CARD
    charged = by_card and payment.state == PaymentState.CAPTURED
    total = f"{order.total_incl_tax} {order.currency}"
    if action == "approve":
        if not by_card:
            return f"An invoice for {total} is issued to the customer."
        if payment.state == PaymentState.CAPTURE_FAILED:
            return (
                "The card is charged only if the customer has authorised it again "
                f"({ledger.payment_summary(order)})."
            )
        if charged:
            return (
                f"The card was charged {payment.amount} already, while the order "
                "was on hold: nothing more is taken."
            )
        return (
            f"The card authorisation is captured: the customer's card is charged "
            f"{total}."
        )
    if action in ("reject", "cancel", "refund"):
        if not by_card:
            return "The invoice is voided; nothing has been charged."
        if charged:
            return f"The card payment of {payment.amount} is refunded in full."
        return "The card authorisation is released: nothing is charged."
    if action == "record_payment":
        terms = invoices.invoice_terms(order=order)
        if terms is None:
            return "The invoice is not waiting for payment."
        return (
            f"Invoice {terms.number}: {terms.amount_due} {terms.currency} still due "
            f"(by {terms.due_on:%Y-%m-%d}). The payment is added to the order's "
            "ledger; the invoice is paid once the amount is reached."
        )
    if action == "dispatch":
        if not by_card:
            return "The invoice issued at approval stands; nothing else is charged."
        return "Nothing changes on the card: it was charged at approval."
    if not by_card:
        return "Nothing is charged and no invoice is issued yet."
    return (
        "Nothing is charged: the card authorisation stays in place "
        f"({authorisation_summary(order)})."
    )
