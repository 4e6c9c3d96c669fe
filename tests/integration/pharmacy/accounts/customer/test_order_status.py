"""The order status page: a timeline from placed to its last change, with the
reason, carrier and tracking reference; shown at once to the browser that
placed the order, and asking for the email, naming the order, elsewhere."""

import dataclasses

import pytest
from django.urls import reverse

from catalog.models import Product
from checkout.orders import actions, workflow
from checkout.orders import tracking as order_status
from checkout.orders.models import OrderEvent
from pharmacy.staff.groups import staff_groups_ensure
from pharmacy.staff.roles import PHARMACISTS
from tests.checkout_helpers import fill, place_order
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private(private_root):
    pass


@pytest.fixture
def pack(drug) -> Product:
    return Product.objects.get(upc=f"{drug.product.upc}-10-30")


@pytest.fixture
def pharmacist(db):
    user = UserFactory(is_staff=True)
    user.groups.add(staff_groups_ensure()[PHARMACISTS])
    return user


def status_url(order) -> str:
    return reverse(
        "customer:anon-order",
        kwargs={"order_number": order.number, "hash": order.verification_hash()},
    )


def titles(order) -> list[str]:
    return [e.title for e in order_status.order_timeline(order=order)]


def test_timeline_of_a_dispatched_order(pack, pharmacist):
    order = place_order(product=pack)
    actions.order_approve(order=order, actor=pharmacist)
    fill(order=order, actor=pharmacist)
    actions.order_dispatch(order=order, actor=pharmacist, tracking_reference="1Z999")

    timeline = order_status.order_timeline(order=order)

    assert [e.title for e in timeline] == [
        "Order placed",
        "Approved by our pharmacist",
        "Prepared and labelled by our pharmacist",
        "Dispatched",
    ]
    assert timeline[3].details == ["Tracking reference: 1Z999"]
    assert timeline[0].when == order.date_placed
    assert timeline[0].when <= timeline[1].when <= timeline[2].when


def test_timeline_shows_the_rejection_reason_not_the_payment_note(pack, pharmacist):
    order = place_order(product=pack)
    actions.order_reject(order=order, actor=pharmacist, reason="Prescription expired")
    rejected = order_status.order_timeline(order=order)[-1]
    assert rejected.title == "Not approved by our pharmacist"
    assert rejected.details == ["Reason: Prescription expired"]


def test_timeline_of_a_cancelled_order(pack, pharmacist):
    order = place_order(product=pack)
    actions.order_cancel(order=order, actor=pharmacist, reason="Asked by phone")
    assert titles(order)[-1] == "Cancelled"


def test_a_carrier_in_the_dispatch_note_is_shown(pack):
    order = place_order(product=pack)
    OrderEvent.objects.create(
        order=order, action="dispatched", note="Carrier: UPS\nTracking: 1Z1"
    )
    assert order_status.order_timeline(order=order)[-1].details == [
        "Carrier: UPS",
        "Tracking reference: 1Z1",
    ]


def test_showing_an_action_to_customers_is_one_line_of_the_workflow(pack, monkeypatch):
    order = place_order(product=pack)
    OrderEvent.objects.create(
        order=order, action=workflow.RESUME.history, note="Answered"
    )
    assert "Back in review" not in titles(order)  # not shown to customers
    monkeypatch.setitem(
        workflow.ACTIONS,
        workflow.RESUME.name,
        dataclasses.replace(
            workflow.RESUME, customer_sees=("Back in review", "neutral")
        ),
    )
    assert titles(order)[-1] == "Back in review"


def test_status_page_shows_the_timeline_with_tracking(client, pack, pharmacist):
    order = place_order(product=pack)
    actions.order_approve(order=order, actor=pharmacist)
    fill(order=order, actor=pharmacist)
    actions.order_dispatch(order=order, actor=pharmacist, tracking_reference="1Z999")
    session = client.session
    session["anon_order_email"] = order.email
    session.save()

    html = client.get(status_url(order)).content.decode()

    assert "Tracking reference: 1Z999" in html
    assert "Approved by our pharmacist" in html
    assert "excl. tax" not in html and "incl. tax" not in html
    # A guest cannot review; a review is only offered once dispatched anyway.
    assert "Write a review" not in html


def test_the_browser_that_placed_the_order_sees_its_status_at_once(client, pack):
    order = place_order(product=pack)
    session = client.session
    order_status.guest_order_remember(session=session, order_number=order.number)
    session.save()

    response = client.get(status_url(order))

    assert response.status_code == 200
    assert "Order placed" in response.content.decode()


def test_elsewhere_the_email_prompt_names_the_order(client, pack):
    order = place_order(product=pack)
    response = client.get(status_url(order), follow=True)
    html = response.content.decode()
    assert response.redirect_chain
    assert f"Follow order {order.number}" in html
    assert "Email address" in html


def test_a_remembered_order_number_needs_the_right_hash(client, pack):
    order = place_order(product=pack)
    session = client.session
    order_status.guest_order_remember(session=session, order_number=order.number)
    session.save()
    url = reverse(
        "customer:anon-order",
        kwargs={"order_number": order.number, "hash": "wrong-hash"},
    )
    response = client.get(url)
    assert response.status_code == 302


def test_thank_you_page_remembers_the_guest_order(client, pack):
    order = place_order(product=pack)
    session = client.session
    session["checkout_order_id"] = order.pk
    session.save()
    assert client.get(reverse("checkout:thank-you")).status_code == 200
    assert order_status.guest_order_remembered(
        session=client.session, order_number=order.number
    )


def test_write_a_review_only_on_dispatched_orders(client, pack, pharmacist):
    customer = UserFactory()
    order = place_order(product=pack, owner=customer)
    client.force_login(customer)
    url = reverse("customer:order", kwargs={"order_number": order.number})

    assert "Write a review" not in client.get(url).content.decode()
    actions.order_approve(order=order, actor=pharmacist)
    assert "Write a review" not in client.get(url).content.decode()
    fill(order=order, actor=pharmacist)
    actions.order_dispatch(order=order, actor=pharmacist, tracking_reference="1Z")
    html = client.get(url).content.decode()
    assert "Write a review" in html
    assert "Tracking reference: 1Z" in html
