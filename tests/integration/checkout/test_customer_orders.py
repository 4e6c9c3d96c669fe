"""What customers see of their orders afterwards: order history, the order
page, a guest's status link, and "Re-order"."""

import pytest
from django.urls import reverse

from catalog.models import Product
from checkout.basket.models import Basket
from checkout.orders import actions, placing
from checkout.orders.workflow import OrderStatus
from pharmacy.staff.groups import staff_groups_ensure
from pharmacy.staff.roles import PHARMACISTS
from tests.checkout_helpers import ADULT_DOB, basket_with, checkout_attempt
from tests.checkout_helpers import place_order as place
from tests.factories import UserFactory, strength_switch


@pytest.fixture(autouse=True)
def _private_files(private_root):
    pass


@pytest.fixture
def pack(drug) -> Product:
    return Product.objects.get(upc=f"{drug.product.upc}-10-30")


@pytest.fixture
def customer(db):
    return UserFactory(username="sam", email="sam@example.com")


@pytest.fixture
def order(pack, customer):
    return place(product=pack, quantity=2, owner=customer)


@pytest.fixture
def pharmacist(db):
    user = UserFactory(is_staff=True)
    user.groups.add(staff_groups_ensure()[PHARMACISTS])
    return user


def detail_url(order) -> str:
    return reverse("customer:order", kwargs={"order_number": order.number})


def anon_url(order, hash_=None) -> str:
    return reverse(
        "customer:anon-order",
        kwargs={
            "order_number": order.number,
            "hash": hash_ or order.verification_hash(),
        },
    )


def assert_no_health_data(html: str, order) -> None:
    for secret in (
        ADULT_DOB.isoformat(),
        "May 17, 1980",
        order.prescription.file.name,
        order.prescription.file.name.rsplit("/", 1)[-1],
    ):
        assert secret not in html, secret


# -- a registered customer -------------------------------------------------------------


def test_a_customer_sees_their_order_in_their_order_history(client, customer, order):
    client.force_login(customer)

    response = client.get(reverse("customer:order-list"))

    assert response.status_code == 200
    html = response.content.decode()
    assert order.number in html
    assert detail_url(order) in html
    assert list(response.context["orders"]) == [order]


def test_the_order_history_shows_each_order_s_status(
    client, customer, order, pharmacist
):
    client.force_login(customer)
    assert (
        OrderStatus.AWAITING_REVIEW
        in client.get(reverse("customer:order-list")).content.decode()
    )

    actions.order_approve(order=order, actor=pharmacist)

    html = client.get(reverse("customer:order-list")).content.decode()
    assert OrderStatus.APPROVED in html
    assert OrderStatus.AWAITING_REVIEW not in html


def test_a_customer_sees_the_status_on_the_order_page(client, customer, order):
    client.force_login(customer)

    response = client.get(detail_url(order))

    assert response.status_code == 200
    html = response.content.decode()
    assert order.number in html
    assert OrderStatus.AWAITING_REVIEW in html
    assert "Baclofen 10 mg, 30 tablets" in html
    assert_no_health_data(html, order)


def test_the_order_page_shows_approved_after_the_pharmacist_approves(
    client, customer, order, pharmacist
):
    client.force_login(customer)
    assert OrderStatus.APPROVED not in client.get(detail_url(order)).content.decode()

    actions.order_approve(order=order, actor=pharmacist)

    html = client.get(detail_url(order)).content.decode()
    assert OrderStatus.APPROVED in html
    assert OrderStatus.AWAITING_REVIEW not in html


def test_another_customer_gets_404_for_the_order(client, order):
    client.force_login(UserFactory(username="mallory"))

    assert client.get(detail_url(order)).status_code == 404
    assert client.post(detail_url(order), {"action": "reorder"}).status_code == 404
    history = client.get(reverse("customer:order-list"))
    assert order.number not in history.content.decode()


def test_an_anonymous_visitor_is_sent_to_log_in_for_an_order_page(client, order):
    response = client.get(detail_url(order))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("customer:login"))


# -- a guest ---------------------------------------------------------------------------


@pytest.fixture
def guest_order(pack):
    return place(product=pack, quantity=1, email="guest@example.com")


def guest_status(client, order, *, email="guest@example.com", hash_=None):
    """Follow the status link from the email; Oscar asks for the email once."""
    url = anon_url(order, hash_)
    response = client.get(url)
    if response.status_code == 302:
        form = response["Location"]
        response = client.post(form, {"email": email}, follow=True)
    return response


def test_a_guest_sees_the_status_through_the_link_in_their_email(
    client, guest_order, pharmacist
):
    response = guest_status(client, guest_order)

    assert response.status_code == 200
    html = response.content.decode()
    assert guest_order.number in html
    assert OrderStatus.AWAITING_REVIEW in html
    assert_no_health_data(html, guest_order)

    actions.order_approve(order=guest_order, actor=pharmacist)

    html = client.get(anon_url(guest_order)).content.decode()
    assert OrderStatus.APPROVED in html


def assert_order_not_found(response, order) -> None:
    """The email form again, saying "Order not found", and nothing of the order."""
    assert response.status_code == 200
    assert response.redirect_chain == []  # still on the form, not the status page
    html = response.content.decode()
    assert "Order not found" in html
    assert 'name="email"' in html
    assert f"Order #{order.number}" not in html
    assert OrderStatus.AWAITING_REVIEW not in html
    assert "Baclofen" not in html


@pytest.mark.parametrize(
    "hash_",
    ["0" * 20, "100001:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"],
)
def test_a_wrong_hash_does_not_show_the_order(client, guest_order, hash_):
    direct = client.get(anon_url(guest_order, hash_))
    # Oscar 4.2 sends an unverified link to its "enter your email" form.
    assert direct.status_code == 302
    status_form = reverse(
        "customer:anon-order-form",
        kwargs={"order_number": guest_order.number, "hash": hash_},
    )
    assert direct["Location"] == status_form

    response = guest_status(client, guest_order, hash_=hash_)

    assert_order_not_found(response, guest_order)
    # The right link and email in the same session still work.
    right = guest_status(client, guest_order)
    assert right.status_code == 200
    assert OrderStatus.AWAITING_REVIEW in right.content.decode()


def test_the_right_hash_with_another_email_does_not_show_the_order(client, guest_order):
    response = guest_status(client, guest_order, email="mallory@example.com")

    assert_order_not_found(response, guest_order)


def test_a_registered_customer_s_order_has_no_guest_link(client, order):
    response = guest_status(client, order, email="sam@example.com")

    assert_order_not_found(response, order)


# -- re-order -------------------------------------------------------------------------


def open_basket(user) -> Basket:
    return Basket.objects.get(owner=user, status=Basket.OPEN)


def test_reorder_puts_the_same_packs_back_in_the_basket(client, customer, pack, drug):
    other = Product.objects.get(upc=f"{drug.product.upc}-25-90")
    basket = basket_with(product=pack, quantity=2, owner=customer)
    basket.add_product(other, 1)
    order = placing.order_place(attempt_id=checkout_attempt(basket=basket).pk)
    client.force_login(customer)

    response = client.post(detail_url(order), {"action": "reorder"})

    assert response.status_code == 302
    assert response["Location"] == reverse("basket:summary")
    lines = {
        line.product_id: line.quantity for line in open_basket(customer).all_lines()
    }
    assert lines == {pack.pk: 2, other.pk: 1}


def test_reorder_leaves_out_a_withdrawn_strength_with_a_warning(
    client, customer, order, drug
):
    strength_switch(drug=drug, mg="10", available=False)
    client.force_login(customer)

    response = client.post(detail_url(order), {"action": "reorder"}, follow=True)

    assert not Basket.objects.filter(
        owner=customer, status=Basket.OPEN, lines__isnull=False
    ).exists()
    shown = " ".join(str(m) for m in response.context["messages"])
    assert "not possible to re-order" in shown
