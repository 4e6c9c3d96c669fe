"""Delivery only to licensed states: refused at the address step, before any
payment, with the state named; the Licences page lists the licences."""

import pytest
from django.urls import reverse
from oscar.apps.order.models import Order

from pharmacy.compliance import licensing
from pharmacy.compliance.models import StateLicence
from tests.checkout_helpers import ADDRESS, guest_checkout_to_preview
from tests.html import find_all, page, text

pytestmark = pytest.mark.django_db


def add_url(product) -> str:
    return reverse(
        "catalogue:add-variant", kwargs={"product_slug": product.slug, "pk": product.pk}
    )


def to_address_step(client, product):
    client.post(add_url(product), {"strength": "10", "pack": "30", "quantity": 1})
    client.post(
        reverse("checkout:index"),
        {"username": "guest@example.com", "options": "anonymous"},
    )


def test_demo_data_licenses_every_state_but_alaska_and_hawaii():
    assert licensing.state_delivery_refusal(state="IL") is None
    assert licensing.state_delivery_refusal(state="DC") is None
    for state, name in (("AK", "Alaska"), ("HI", "Hawaii")):
        refusal = licensing.state_delivery_refusal(state=state)
        assert refusal and name in refusal
    assert StateLicence.objects.filter(is_active=True).count() == 49


def test_a_suspended_licence_refuses_the_state():
    StateLicence.objects.filter(state="IL").update(is_active=False)
    assert "Illinois" in licensing.state_delivery_refusal(state="IL")


def test_an_address_in_an_unlicensed_state_is_refused_at_the_address_step(
    client, product
):
    to_address_step(client, product)
    response = client.post(
        reverse("checkout:shipping-address"),
        {**ADDRESS, "state": "AK", "postcode": "99501"},
    )
    assert response.status_code == 200
    errors = " ".join(text(e) for e in find_all(page(response), "ul", cls="errorlist"))
    assert "we can't deliver to Alaska" in errors
    assert "not licensed there" in errors
    # Not past the address: the next step sends the shopper back.
    nxt = client.get(reverse("checkout:shipping-method"))
    assert nxt.status_code == 302


def withdrawn_by_a_save(state: str) -> None:
    licence = StateLicence.objects.get(state=state)
    licence.is_active = False
    licence.save()  # as the admin does


def withdrawn_by_a_bulk_update(state: str) -> None:
    StateLicence.objects.filter(state=state).update(is_active=False)


@pytest.mark.parametrize("withdraw", [withdrawn_by_a_save, withdrawn_by_a_bulk_update])
def test_a_licence_withdrawn_mid_checkout_stops_the_later_steps(
    client, product, withdraw
):
    to_address_step(client, product)
    client.post(reverse("checkout:shipping-address"), ADDRESS)
    client.get(reverse("checkout:shipping-method"))  # the licences now cached
    withdraw("IL")
    response = client.get(reverse("checkout:shipping-method"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("checkout:shipping-address")
    assert "we can't deliver to Illinois" in text(page(response))


def test_placing_the_order_reads_the_licences_themselves_not_the_cache(
    client, product, settings
):
    """A licence withdrawn while the shopper is on the preview page (a bulk
    update, which sends no signal): placing the order asks the table."""
    guest_checkout_to_preview(client, product_page_add_url=add_url(product))
    StateLicence.objects.filter(state="IL").update(is_active=False)

    response = client.post(
        reverse("checkout:preview"), {"action": "place_order"}, follow=True
    )

    assert response.redirect_chain[-1][0] == reverse("checkout:shipping-address")
    assert "we can't deliver to Illinois" in text(page(response))
    assert not Order.objects.exists()


def test_the_licences_page_lists_each_licence_with_its_number(client):
    response = client.get(reverse("compliance:licences"))
    assert response.status_code == 200
    rows = find_all(page(response), "tr")
    body = " ".join(text(r) for r in rows)
    assert "Illinois" in body and "DEMO-IL-" in body
    assert "Alaska" not in body and "Hawaii" not in body
