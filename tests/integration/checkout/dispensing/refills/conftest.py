import datetime

import pytest
from django.utils import timezone

from catalog.models import Product
from catalog.partner.strategy import Selector
from checkout.basket.models import Basket
from checkout.dispensing.refills import services
from checkout.orders import actions, placing
from checkout.orders.models import OrderEvent
from pharmacy.staff.groups import staff_groups_ensure
from pharmacy.staff.roles import PHARMACISTS
from tests.checkout_helpers import checkout_attempt, place_order
from tests.factories import UserFactory, reference_data_ensure


@pytest.fixture(autouse=True)
def _private_files(private_root, db):
    # Licences and email types come from data migrations an earlier
    # transactional test's flush may have emptied.
    reference_data_ensure()


@pytest.fixture
def pack(drug) -> Product:
    return Product.objects.get(upc=f"{drug.product.upc}-10-30")


@pytest.fixture
def customer(db):
    return UserFactory(username="robin", email="robin@example.com")


@pytest.fixture
def pharmacist(db):
    user = UserFactory(username="pharm", is_staff=True)
    user.groups.add(staff_groups_ensure()[PHARMACISTS])
    return user


def approved_days_ago(order, days: float) -> None:
    """Move the clock back on an approval, as if it happened `days` ago."""
    OrderEvent.objects.filter(order=order, action="approved").update(
        created_at=timezone.now() - datetime.timedelta(days=days)
    )


@pytest.fixture
def first_order(pack, customer, pharmacist):
    """30 tablets of 10 mg, three a day (10 days' supply), one refill,
    approved by the pharmacist: 30 tablets and one refill left."""
    order = place_order(product=pack, owner=customer)
    actions.order_approve(order=order, actor=pharmacist)
    return order


@pytest.fixture
def record(first_order):
    return first_order.prescription.record


def refill_order(*, record, customer):
    """A refill through the real service, placed as checkout would."""
    basket = Basket.objects.create(owner=customer)
    basket.strategy = Selector().strategy()
    services.refill_to_basket(record=record, basket=basket)
    attempt = checkout_attempt(basket=basket, with_prescription=False)
    return placing.order_place(attempt_id=attempt.pk)
