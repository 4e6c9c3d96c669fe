"""Orders for the workflow's tests: placed as a guest, with health data that
must stay private, and a pharmacist to decide on them."""

import pytest
from oscar.apps.order.models import Order

from catalog.models import Product
from catalog.partner.models import StockRecord
from checkout.dispensing.models import PatientDetails
from checkout.orders import placing
from checkout.orders.models import CheckoutAttempt, OrderEvent
from pharmacy.staff.groups import staff_groups_ensure
from pharmacy.staff.roles import PHARMACISTS
from tests.checkout_helpers import (
    basket_with,
    checkout_attempt,
    pharmacist_checks_record,
)
from tests.factories import UserFactory

ALLERGY = "Penicillin anaphylaxis"
MEDICINE = "Sertraline 50 mg"


@pytest.fixture(autouse=True)
def _private_files(private_root):
    pass


@pytest.fixture
def pack(drug) -> Product:
    return Product.objects.get(upc=f"{drug.product.upc}-10-30")


def stock_of(product) -> StockRecord:
    return StockRecord.objects.get(product=product)


@pytest.fixture
def pharmacist(db):
    user = UserFactory(is_staff=True)
    user.groups.add(staff_groups_ensure()[PHARMACISTS])
    return user


def new_attempt(pack, *, quantity=2, owner=None, **kwargs) -> CheckoutAttempt:
    """A checkout ready to place, with health data that must stay private."""
    basket = basket_with(product=pack, quantity=quantity, owner=owner)
    attempt = checkout_attempt(basket=basket, **kwargs)
    PatientDetails.objects.filter(basket=basket).update(
        allergies=ALLERGY, current_medicines=MEDICINE
    )
    return attempt


def place(pack, **kwargs) -> Order:
    """Placed, with the pharmacist's prescription record and counselling done."""
    order = placing.order_place(attempt_id=new_attempt(pack, **kwargs).pk)
    pharmacist_checks_record(order=order)
    return order


@pytest.fixture
def order(pack) -> Order:
    """A guest's invoice order for 2 packs, awaiting prescription review."""
    return place(pack)


def fresh(order: Order) -> Order:
    return Order.objects.get(pk=order.pk)


def events(order: Order) -> list[tuple]:
    return [
        (e.action, e.actor_id, e.from_status, e.to_status)
        for e in OrderEvent.objects.filter(order=order)
    ]
