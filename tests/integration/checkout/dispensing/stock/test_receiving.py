"""Receiving lots in the admin: typed or scanned, by pharmacists and stock
staff; stock staff never see who got a lot."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from checkout.dispensing.stock import gs1
from checkout.dispensing.stock.models import Lot
from pharmacy.staff.groups import staff_groups_ensure
from pharmacy.staff.roles import PRICE_EDITORS, STOCK_STAFF
from tests.factories import UserFactory
from tests.integration.checkout.dispensing.stock.conftest import TODAY, lot
from tests.integration.checkout.orders.conftest import stock_of

ADD = reverse("admin:checkout_lot_add")


def client_in(role: str) -> Client:
    user = UserFactory(is_staff=True)
    user.groups.add(staff_groups_ensure()[role])
    client = Client()
    client.force_login(user)
    return client


def received(pack, **fields) -> dict:
    return {
        "product": pack.pk,
        "quantity_received": 12,
        "received_on": TODAY.isoformat(),
        "supplier": "Example Wholesale",
        **fields,
    }


def test_stock_staff_receive_a_lot_by_scanning_its_code(pack):
    scan = f"(01){gs1.gtin_for_ndc('9920700101')}(17)290630(10)SC-77(21)SN1"

    response = client_in(STOCK_STAFF).post(ADD, received(pack, scan=scan))

    assert response.status_code == 302
    got = Lot.objects.get()
    assert (got.ndc, got.lot_number, got.serial_number) == (
        "9920700101",
        "SC-77",
        "SN1",
    )
    assert got.expires_on == datetime.date(2029, 6, 30)
    assert (got.quantity_left, stock_of(pack).num_in_stock) == (12, 12)


def test_a_typed_lot_needs_its_fields_and_keeps_what_was_typed(pharmacist_client, pack):
    response = pharmacist_client.post(ADD, received(pack, supplier="Kept Supplies"))

    html = response.content.decode()
    assert "Please give the NDC, or scan the code." in html
    assert "Please give the lot number, or scan the code." in html
    assert 'value="Kept Supplies"' in html
    assert not Lot.objects.exists()


def test_an_unreadable_scan_is_refused_with_the_reason(pharmacist_client, pack):
    response = pharmacist_client.post(ADD, received(pack, scan="(01)123"))

    assert "not a GS1 code we can read" in response.content.decode()
    assert not Lot.objects.exists()


@pytest.mark.parametrize("role", [PRICE_EDITORS])
def test_other_roles_may_not_receive_lots(role, pack):
    response = client_in(role).post(
        ADD, received(pack, ndc="9920700101", lot_number="X", expires_on="2030-01-01")
    )

    assert response.status_code == 403
    assert not Lot.objects.exists()


def test_stock_staff_may_not_see_who_got_a_lot(pack, pharmacist):
    the_lot = lot(pack, pharmacist)
    stock = client_in(STOCK_STAFF)

    recipients = reverse("admin:checkout_lot_recipients", args=[the_lot.pk])
    recall = reverse("admin:checkout_lot_recall", args=[the_lot.pk])

    assert stock.get(recipients).status_code == 403
    assert stock.post(recall, {"reason": "x"}).status_code == 403
    assert (
        recipients
        not in stock.get(reverse("admin:checkout_lot_changelist")).content.decode()
    )
