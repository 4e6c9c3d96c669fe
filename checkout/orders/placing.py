"""Placing an order, the workflow's first action (``workflow.PLACE``): once,
with the price recomputed on the server, the delivery state's licence read
from the table, and stock checked and allocated under row locks. The checkout
(invoice), the Stripe return page, the webhook and reconciliation all place
orders through ``order_place``."""

import logging
from decimal import Decimal

from django.db import transaction
from oscar.apps.checkout.calculators import OrderTotalCalculator
from oscar.apps.checkout.mixins import OrderPlacementMixin
from oscar.apps.order.models import Order, ShippingAddress
from oscar.apps.order.utils import OrderCreator

from catalog.partner.models import StockRecord
from catalog.partner.strategy import Selector
from catalog.reviews import selectors as review_selectors
from checkout.basket.models import Basket
from checkout.dispensing import prescriptions, sources
from checkout.dispensing.models import PatientDetails, Prescription
from checkout.orders import finishing
from checkout.orders.models import CheckoutAttempt
from checkout.orders.workflow import PLACE
from checkout.payments import ledger
from checkout.shipping import countries
from checkout.shipping.repository import Repository
from pharmacy.compliance import licensing
from pharmacy.core import cache as catalog_cache

logger = logging.getLogger(__name__)


class OrderNotPlaced(Exception):
    """The order could not be placed. The message is safe to show the shopper."""


class StateNotLicensed(OrderNotPlaced):
    """The delivery address is in a state the pharmacy is not licensed in."""


def delivery_check(*, shipping_address: dict) -> None:
    """Refuse a delivery to a state the pharmacy holds no active licence in,
    read from the table now (``workflow.Check.STATE_LICENSED``). The address
    step refuses it too; this is the rule every path passes."""
    refusal = licensing.state_delivery_refusal(
        state=shipping_address.get("state", ""), fresh=True
    )
    if refusal:
        raise StateNotLicensed(refusal)


class PrescriptionMissing(OrderNotPlaced):
    """A prescription-only order with no prescription source."""


PRESCRIPTION_MISSING = (
    "We need your prescription before we can place this order: upload it, or "
    "give us your prescriber's details."
)


def prescription_check(*, basket: Basket, user) -> None:
    """Refuse a prescription-only order with no prescription file, no
    prescriber details and no prescription on file for ``user``
    (``sources.prescription_source_present``). Every path that places an order
    passes here; the checkout also asks before sending a shopper to pay."""
    if not prescriptions.basket_needs_prescription(basket=basket):
        return
    prescriptions_of_basket = Prescription.objects.filter(basket=basket)
    if transaction.get_connection().in_atomic_block:
        # Placing: the prescription is locked with the order being placed.
        # The checkout's look before sending a card payer to Stripe holds no
        # transaction, and needs no lock.
        prescriptions_of_basket = prescriptions_of_basket.select_for_update()
    prescription = prescriptions_of_basket.first()
    if not sources.prescription_source_present(prescription=prescription, user=user):
        raise PrescriptionMissing(PRESCRIPTION_MISSING)


def basket_total(*, basket: Basket, shipping_method_code: str):
    """(shipping method, shipping charge, order total) recomputed from the
    basket's stored prices. Nothing the shopper posts takes part."""
    method = next(
        (
            m
            for m in Repository().get_shipping_methods(basket)
            if m.code == shipping_method_code
        ),
        None,
    )
    if method is None:
        raise OrderNotPlaced("Please choose a delivery method again.")
    charge = method.calculate(basket)
    total = OrderTotalCalculator().calculate(basket, charge)
    return method, charge, total


def _lock_and_check_stock(*, basket: Basket) -> None:
    lines = list(basket.all_lines())
    records = {
        r.pk: r
        for r in StockRecord.objects.select_for_update(of=("self",))
        .select_related("partner")
        .filter(pk__in=[line.stockrecord_id for line in lines])
        .order_by("pk")
    }
    for line in lines:
        record = records.get(line.stockrecord_id)
        if record is None:
            raise OrderNotPlaced(_sold_out(line))
        # The locked, current record is the one Oscar allocates from; its
        # product is the line's, already loaded with its class.
        record.product = line.product
        line.stockrecord = record
        # The strategy decides, on the locked record: a strength can be
        # withdrawn, or the last packs sold, while the shopper pays.
        info = basket.strategy.fetch_for_line(line)
        if not info.availability.is_purchase_permitted(line.quantity)[0]:
            if basket.strategy.status(line.product, record).shown:
                raise OrderNotPlaced(_sold_out(line))
            raise OrderNotPlaced(
                f"Sorry, {line.product.get_title()} is no longer available. "
                "Your basket is unchanged; please choose another pack."
            )


def _sold_out(line) -> str:
    return (
        f"Sorry, {line.product.get_title()} has just sold out. "
        "Your basket is unchanged; please choose another pack."
    )


def order_place(
    *,
    attempt_id: int,
    authorised_amount: Decimal | None = None,
    authorised_currency: str | None = None,
) -> Order:
    """Place the order for a checkout attempt, exactly once.

    Safe to call twice (the return page and the webhook both do): the second
    call returns the order the first one placed. For a card payment, pass the
    amount and currency Stripe authorised; they must equal the recomputed total
    and the checkout's currency, or no order is
    placed and the mismatch is recorded on the attempt.
    """
    with transaction.atomic():
        attempt = CheckoutAttempt.objects.select_for_update().get(pk=attempt_id)
        if attempt.order_id:
            return attempt.order
        if attempt.status != CheckoutAttempt.Status.PENDING:
            raise OrderNotPlaced("This checkout has ended. Please check out again.")
        delivery_check(shipping_address=attempt.shipping_address)
        basket = Basket.objects.select_for_update().get(pk=attempt.basket_id)
        basket.strategy = Selector().strategy(user=attempt.user)
        method, charge, total = basket_total(
            basket=basket, shipping_method_code=attempt.shipping_method_code
        )
        mismatch = (
            total.incl_tax != attempt.amount
            or (authorised_amount is not None and authorised_amount != total.incl_tax)
            or (
                authorised_currency is not None
                and authorised_currency != attempt.currency
            )
        )
        if mismatch:
            # Recorded, and committed: the refusal must leave a trace.
            attempt.status = CheckoutAttempt.Status.MISMATCH
            attempt.note = (
                f"Total now {total.incl_tax}, attempt {attempt.amount}, "
                f"authorised {authorised_amount} {authorised_currency or ''}"
            )
            attempt.save(update_fields=["status", "note", "updated_at"])
            logger.error("Checkout %s: amount mismatch, no order placed", attempt.pk)
        else:
            order = _place(
                attempt=attempt,
                basket=basket,
                method=method,
                charge=charge,
                total=total,
            )
    if mismatch:
        raise OrderNotPlaced(
            "The amount authorised did not match your order total, so no order was "
            "placed. Any hold on your card will be released."
        )
    return order


def _place(*, attempt, basket, method, charge, total) -> Order:
    prescription_check(basket=basket, user=attempt.user)
    _lock_and_check_stock(basket=basket)
    order = OrderCreator().place_order(
        basket=basket,
        total=total,
        shipping_method=method,
        shipping_charge=charge,
        user=attempt.user,
        shipping_address=_shipping_address(attempt.shipping_address, user=attempt.user),
        order_number=attempt.order_number,
        status=PLACE.ends_in,
        guest_email=attempt.guest_email or "",
    )
    payment = ledger.payment_record(order=order, attempt=attempt)
    _reviews_changed(basket=basket, attempt=attempt)
    PatientDetails.objects.filter(basket=basket).update(order=order, basket=None)
    Prescription.objects.filter(basket=basket).update(order=order, basket=None)
    basket.submit()
    attempt.order = order
    attempt.status = CheckoutAttempt.Status.PLACED
    attempt.save(update_fields=["order", "status", "updated_at"])
    finishing.action_finish(
        action=PLACE,
        order=order,
        payment=payment,
        actor=attempt.user,
        note=attempt.get_payment_method_display(),
    )
    return order


def _reviews_changed(*, basket: Basket, attempt: CheckoutAttempt) -> None:
    # Stock and price changes reach the cache through the stock record's own
    # signal. Reviews only change if this buyer's published review of a
    # product now earns the "Verified buyer" badge.
    for product_id in _drug_product_ids(basket=basket):
        if review_selectors.buyer_has_approved_review(
            product_id=product_id,
            user_id=attempt.user_id,
            email=attempt.guest_email,
        ):
            catalog_cache.catalogue_version_bump()


def _drug_product_ids(*, basket: Basket) -> set[int]:
    """The drugs (their parent products) of the basket's packs."""
    return {line.product.parent_id or line.product_id for line in basket.all_lines()}


def _shipping_address(fields: dict, *, user) -> ShippingAddress:
    address = ShippingAddress(**fields)
    countries.address_country_attach(address)
    address.save()
    if user is not None:
        # Into the customer's address book, as Oscar's checkout does, so the
        # next checkout (a refill) offers it to confirm instead of retyping.
        OrderPlacementMixin().update_address_book(user, address)
    return address
