"""Orders to fill: a guest's invoice order for 2 packs of 30 x 10 mg, with a
record of 10 mg three times a day (20 days of supply), approved."""

import datetime

import pytest
from django.test import Client

from catalog.models import Product
from checkout.orders import actions
from pharmacy.staff.groups import staff_groups_ensure
from pharmacy.staff.roles import PHARMACISTS
from tests.checkout_helpers import lot_of
from tests.factories import UserFactory
from tests.integration.checkout.orders.conftest import place

TODAY = datetime.date.today()


@pytest.fixture(autouse=True)
def _private_files(private_root):
    pass


@pytest.fixture
def pack(drug) -> Product:
    return Product.objects.get(upc=f"{drug.product.upc}-10-30")


@pytest.fixture
def pharmacist(db):
    user = UserFactory(is_staff=True, username="rx-filler")
    user.groups.add(staff_groups_ensure()[PHARMACISTS])
    return user


@pytest.fixture
def pharmacist_client(pharmacist) -> Client:
    client = Client()
    client.force_login(pharmacist)
    return client


@pytest.fixture
def approved(pack, pharmacist):
    order = place(pack)
    actions.order_approve(order=order, actor=pharmacist)
    return order


def lot(product, actor, *, days=400, packs=10, **fields):
    return lot_of(product=product, actor=actor, packs=packs, days=days, **fields)


def in_days(days: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=days)
