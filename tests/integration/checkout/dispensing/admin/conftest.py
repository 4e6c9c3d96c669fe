"""People and orders for the pharmacist's workstation tests."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from oscar.apps.order.models import Order

from catalog.cautions import cautions_ensure
from catalog.models import Drug, DrugCaution, Product
from checkout.dispensing.models import PatientDetails
from pharmacy.staff.groups import staff_groups_ensure
from pharmacy.staff.roles import PHARMACISTS, PRICE_EDITORS, REVIEW_MODERATORS
from tests.checkout_helpers import place_order
from tests.factories import UserFactory, make_drug

QUEUE = reverse("admin:checkout_queueorder_changelist")


@pytest.fixture(autouse=True)
def _private_files(private_root):
    pass


@pytest.fixture
def rx_drug(db):
    """Baclofen as sold: 10 mg and 25 mg packs, at most 80 mg a day, with its
    interaction and caution words."""
    drug = make_drug(title="Baclofen")
    Drug.objects.filter(pk=drug.pk).update(max_daily_dose_mg=Decimal("80"))
    drug.refresh_from_db()
    cautions_ensure(drug=drug, caution_model=DrugCaution)
    return drug


def pack(drug, mg: str = "10", tablets: int = 30) -> Product:
    return Product.objects.get(upc=f"{drug.product.upc}-{mg}-{tablets}")


def staff_in(group: str):
    user = UserFactory(is_staff=True)
    user.groups.add(staff_groups_ensure()[group])
    return user


@pytest.fixture
def pharmacist(db):
    return staff_in(PHARMACISTS)


@pytest.fixture
def pharmacist_client(pharmacist) -> Client:
    return logged_in(pharmacist)


@pytest.fixture(params=["price editor", "review moderator", "plain staff", "anonymous"])
def outsider(request, db):
    """Someone who must see none of the workstation."""
    return {
        "price editor": lambda: staff_in(PRICE_EDITORS),
        "review moderator": lambda: staff_in(REVIEW_MODERATORS),
        "plain staff": lambda: UserFactory(is_staff=True),
        "anonymous": lambda: None,
    }[request.param]()


def logged_in(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def user_with(*codenames: str):
    user = UserFactory(is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="checkout", codename__in=codenames
        )
    )
    return user


def order_for(drug, *, mg="10", tablets=30, quantity=1, checked=False, **patient):
    """An order awaiting review; ``patient`` fields are set on its patient."""
    order = place_order(
        product=pack(drug, mg, tablets), quantity=quantity, checked=checked
    )
    if patient:
        PatientDetails.objects.filter(order=order).update(**patient)
    return Order.objects.get(pk=order.pk)


def review_url(order) -> str:
    return reverse("admin:checkout_queueorder_review", args=[order.pk])


def action_url(order, action: str) -> str:
    return reverse("admin:checkout_queueorder_action", args=[order.pk, action])


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def html(response) -> str:
    return response.content.decode()


def reload(order) -> Order:
    return Order.objects.get(pk=order.pk)
