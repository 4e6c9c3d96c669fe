"""Paying again after a failed capture: the customer's emailed link opens a
new Stripe Checkout Session for the same order (manual capture again). Its
authorisation replaces the failed one (fulfilment.pay_again_fulfil); the
pharmacist then captures it.

The link carries a signed order number and expires; it shows no health data.
"""

import logging

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from oscar.apps.order.models import Order

from checkout.payments import ledger, paylinks, stripe_gateway
from checkout.payments.models import OrderPayment
from checkout.payments.states import PaymentState
from pharmacy.core.links import absolute_url

logger = logging.getLogger(__name__)

SALT = "checkout.pay-again"


class PayAgainRefused(Exception):
    """No new payment was taken. The message is safe to show the customer."""


def pay_again_token(*, order: Order) -> str:
    return paylinks.order_token(order=order, salt=SALT)


def pay_again_url(*, order: Order) -> str:
    return absolute_url(
        reverse("checkout:pay-again", kwargs={"token": pay_again_token(order=order)})
    )


def pay_again_order(*, token: str) -> Order | None:
    """The order a pay-again link is for, while the link is valid."""
    return paylinks.token_order(
        token=token, salt=SALT, days=settings.PAY_AGAIN_LINK_DAYS
    )


def pay_again_possible(*, order: Order) -> bool:
    payment = OrderPayment.objects.filter(order=order).first()
    return payment is not None and payment.state == PaymentState.CAPTURE_FAILED


def pay_again_start(*, order: Order, success_url: str, cancel_url: str) -> str:
    """A new Checkout Session for the order's total. Returns Stripe's URL."""
    with transaction.atomic():
        payment = ledger.payment_of(order, lock=True)
        if payment.state != PaymentState.CAPTURE_FAILED:
            raise PayAgainRefused("This order does not need paying again.")
        payment.retry_count += 1
        payment.save(update_fields=["retry_count", "updated_at"])
        number = payment.retry_count
    email = order.user.email if order.user_id else order.guest_email
    session_id, url = stripe_gateway.checkout_session_create(
        order_number=order.number,
        attempt=f"again-{number}",
        amount=payment.amount,
        currency=payment.currency,
        customer_email=email,
        success_url=success_url,
        cancel_url=cancel_url,
        idempotency_key=f"pay-again-{order.number}-{number}",
    )
    OrderPayment.objects.filter(pk=payment.pk).update(retry_session_id=session_id)
    return url


def is_pay_again_session(*, session_id: str) -> bool:
    return bool(session_id) and (
        OrderPayment.objects.filter(retry_session_id=session_id).exists()
    )
