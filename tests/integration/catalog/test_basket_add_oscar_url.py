"""Oscar's own add-to-basket URL, by pack id, obeys the same rules as ours."""

from decimal import Decimal

import pytest
from django.urls import reverse

from catalog.models import Product
from tests.factories import make_drug, make_pack
from tests.integration.catalog.basket_helpers import (
    error_messages,
    lines,
    pack,
)

pytestmark = pytest.mark.django_db


def oscar_add(client, product, **data):
    return client.post(
        reverse("basket:add", kwargs={"pk": product.pk}), data, follow=True
    )


def test_oscar_add_url_adds_an_on_sale_pack(client, drug):
    # The route works, so the refusals below are the pharmacy's rules at work.
    child = pack(drug, "10", 60)

    oscar_add(client, drug.product, child_id=str(child.pk), quantity="1")

    assert lines() == [(child.pk, 1, Decimal("65.40"))]


def test_oscar_add_url_refuses_a_pack_of_a_withdrawn_strength(client):
    drug = make_drug(withdrawn=("25",))

    response = oscar_add(
        client, drug.product, child_id=str(pack(drug, "25", 90).pk), quantity="1"
    )

    assert response.status_code == 200
    assert error_messages(response) == ["unavailable"]
    assert lines() == []


def test_oscar_add_url_refuses_a_withdrawn_pack_added_directly(client):
    drug = make_drug(withdrawn=("25",))
    child = pack(drug, "25", 30)

    response = oscar_add(client, child, quantity="1")

    assert response.status_code == 200
    assert error_messages(response) == ["unavailable"]
    assert lines() == []


def test_oscar_add_url_refuses_another_drugs_pack(client, drug, seeded):
    other = make_drug(title="Tizanidine", prices={"2": {30: "15.00"}})
    foreign = pack(other, "2", 30)

    response = oscar_add(client, drug.product, child_id=str(foreign.pk), quantity="1")

    assert response.status_code == 200
    (message,) = error_messages(response)
    assert "Select a valid choice" in message
    assert lines() == seeded


def test_oscar_add_url_refuses_a_hidden_pack(client, drug, seeded):
    child = pack(drug, "25", 90)
    Product.objects.filter(pk=child.pk).update(is_public=False)

    by_parent = oscar_add(client, drug.product, child_id=str(child.pk), quantity="1")
    directly = oscar_add(client, child, quantity="1")

    assert error_messages(by_parent) and error_messages(directly)
    assert lines() == seeded


def test_oscar_add_url_refuses_an_out_of_stock_pack(client, drug, seeded):
    child = make_pack(drug=drug, mg="10", tablets=90, price="110.00", stock=0)

    response = oscar_add(client, drug.product, child_id=str(child.pk), quantity="1")

    assert error_messages(response) == ["no stock available"]
    assert lines() == seeded
