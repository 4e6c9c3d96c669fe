"""Turning a Stripe authorisation into what it was for: a new order
(``checkout_fulfil``), the payment of an order whose capture failed
(``pay_again_fulfil``), or an invoice paid by card (``invoice_card_fulfil``).
The return pages and the webhook call these; whichever comes first does it,
once, through the order workflow."""

import logging

from django.db import IntegrityError, transaction
from django.utils import timezone
from oscar.apps.order.models import Order

from checkout.basket.models import Basket
from checkout.orders import actions, placing
from checkout.orders.models import CheckoutAttempt
from checkout.payments import invoice_cards, invoices, repayment, stripe_gateway
from checkout.payments.models import InvoicePaymentReceived, OrderPayment

logger = logging.getLogger(__name__)


class PaymentNotAuthorised(Exception):
    """Stripe holds no usable authorisation for this checkout (yet)."""


def checkout_fulfil(*, session_id: str) -> Order:
    """Place the order for a completed Stripe Checkout Session, exactly once.

    Requires a manual-capture PaymentIntent in ``requires_capture`` whose
    capturable amount and currency equal the recomputed order total. When the
    order can't be placed, the authorisation is released.
    """
    attempt = CheckoutAttempt.objects.filter(stripe_session_id=session_id).first()
    if attempt is None:
        raise PaymentNotAuthorised("Unknown checkout session")
    if attempt.order_id:
        return attempt.order
    auth = stripe_gateway.checkout_session_authorisation(session_id=session_id)
    if auth is None or auth.status != "requires_capture":
        raise PaymentNotAuthorised(
            f"Checkout {attempt.pk}: payment is {auth.status if auth else 'missing'}"
        )
    CheckoutAttempt.objects.filter(pk=attempt.pk).update(
        stripe_payment_intent_id=auth.payment_intent_id
    )
    try:
        return placing.order_place(
            attempt_id=attempt.pk,
            authorised_amount=auth.amount_capturable,
            authorised_currency=auth.currency,
        )
    except placing.OrderNotPlaced:
        _release(attempt_id=attempt.pk, payment_intent_id=auth.payment_intent_id)
        raise


def _release(*, attempt_id: int, payment_intent_id: str) -> None:
    with transaction.atomic():
        attempt = CheckoutAttempt.objects.select_for_update().get(pk=attempt_id)
        if attempt.order_id:
            return
        if attempt.status == CheckoutAttempt.Status.PENDING:
            attempt.status = CheckoutAttempt.Status.FAILED
            attempt.save(update_fields=["status", "updated_at"])
        _basket_give_back(attempt)
    try:
        stripe_gateway.payment_release(payment_intent_id=payment_intent_id)
    except stripe_gateway.PaymentGatewayError:
        logger.exception("Checkout %s: could not release the authorisation", attempt_id)


def checkout_end(*, session_id: str, status: str) -> None:
    """The shopper cancelled, or Stripe's page expired: give the basket back."""
    with transaction.atomic():
        attempt = (
            CheckoutAttempt.objects.select_for_update()
            .filter(stripe_session_id=session_id)
            .first()
        )
        if attempt is None or attempt.status != CheckoutAttempt.Status.PENDING:
            return
        attempt.status = status
        attempt.save(update_fields=["status", "updated_at"])
        _basket_give_back(attempt)


def _basket_give_back(attempt: CheckoutAttempt) -> None:
    """Thaw the basket, unless a later checkout of it now holds the freeze
    (a late event for an old attempt must not unfreeze the one being paid)."""
    if CheckoutAttempt.objects.filter(
        basket_id=attempt.basket_id, pk__gt=attempt.pk
    ).exists():
        return
    basket_thaw(basket_id=attempt.basket_id)


def basket_thaw(*, basket_id: int) -> None:
    basket = Basket.objects.filter(pk=basket_id, status=Basket.FROZEN).first()
    if basket is not None:
        basket.thaw()


def pay_again_fulfil(*, session_id: str) -> Order:
    """Record the new authorisation of a pay-again session, exactly once.

    It must be for the order's amount and currency and the order must still
    have its payment problem; otherwise the new hold is released.
    """
    payment = OrderPayment.objects.filter(retry_session_id=session_id).first()
    if payment is None:
        raise repayment.PayAgainRefused("Unknown payment.")
    auth = stripe_gateway.checkout_session_authorisation(session_id=session_id)
    if auth is None or auth.status != "requires_capture":
        raise repayment.PayAgainRefused(
            "Your card has not been authorised, so nothing changed. Please try again."
        )
    if payment.payment_intent_id == auth.payment_intent_id:
        return payment.order  # the return page and the webhook both came
    try:
        return actions.order_pay_again(order=payment.order, authorisation=auth)
    except actions.OrderActionRefused:
        order = Order.objects.get(pk=payment.order_id)
        if order.payment.payment_intent_id == auth.payment_intent_id:
            return order  # recorded by the other of the two meanwhile
    try:
        stripe_gateway.payment_release(payment_intent_id=auth.payment_intent_id)
    except stripe_gateway.PaymentGatewayError:
        logger.exception(
            "Order %s: could not release a pay-again hold", payment.order_id
        )
    raise repayment.PayAgainRefused(
        "This payment could not be used for your order, so the hold on your "
        "card has been released. Please call us."
    )


def invoice_card_fulfil(*, session_id: str) -> Order:
    """Record the card payment of an invoice's Checkout Session as money
    received, exactly once (the return page and the webhook may both come,
    and Stripe may deliver the webhook again): the PaymentIntent is the
    reference, unique among card payments. A payment that can't be recorded
    (the invoice was paid meanwhile by bank) is refunded."""
    paid = stripe_gateway.checkout_session_paid(session_id=session_id)
    if paid is None or paid.purpose != invoice_cards.PURPOSE:
        raise invoice_cards.InvoiceCardRefused(
            "Your card payment has not gone through, so nothing changed."
        )
    order = Order.objects.get(number=paid.order_number)
    if _card_payment_recorded(paid.payment_intent_id):
        return order
    received = invoices.Received(
        amount=paid.amount_received,
        received_on=timezone.localdate(),
        method=InvoicePaymentReceived.Method.CARD_ONLINE,
        reference=paid.payment_intent_id,
    )
    try:
        return actions.order_card_payment(order=order, received=received)
    except (actions.OrderActionRefused, IntegrityError) as exc:
        if _card_payment_recorded(paid.payment_intent_id):
            return order  # recorded by the other of the two meanwhile
        refused = str(exc)
    logger.warning("Order %s: card payment refunded (%s)", order.number, refused)
    stripe_gateway.payment_refund(payment_intent_id=paid.payment_intent_id)
    raise invoice_cards.InvoiceCardRefused(
        "This payment could not be used for your invoice, so it has been "
        "refunded to your card. Please call us."
    )


def _card_payment_recorded(payment_intent_id: str) -> bool:
    return InvoicePaymentReceived.objects.filter(
        method=InvoicePaymentReceived.Method.CARD_ONLINE,
        reference=payment_intent_id,
    ).exists()
