"""The pharmacist's queue in the admin: what it shows, the approve / reject /
dispatch actions, who may use them, and that no order reaches "Dispatched"
without a pharmacist's approval."""

import datetime
from decimal import Decimal

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.core import mail
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from oscar.apps.order.exceptions import InvalidOrderStatus
from oscar.apps.order.models import Order, ShippingEvent

from catalog.models import Drug, Product
from catalog.partner.models import StockRecord
from checkout import lifecycle, orders, prescriptions
from checkout.models import (
    OrderEvent,
    OrderPayment,
    OrderStatus,
    PatientDetails,
    PaymentState,
    Prescription,
)
from pharmacy.staff import PHARMACISTS, staff_groups_ensure
from tests.checkout_helpers import ADULT_DOB, basket_with, checkout_attempt, place_order
from tests.factories import UserFactory, make_drug

QUEUE = reverse("admin:checkout_prescription_changelist")
PATIENTS = reverse("admin:checkout_patientdetails_changelist")
ORDERS = reverse("admin:order_order_changelist")


# -- fixtures and helpers ------------------------------------------------------


@pytest.fixture
def rx_drug(db):
    """Baclofen-like: 10 mg and 25 mg packs, at most 80 mg a day."""
    drug = make_drug()
    Drug.objects.filter(pk=drug.pk).update(max_daily_dose_mg=Decimal("80"))
    drug.refresh_from_db()
    return drug


def pack(drug, mg: str, tablets: int) -> Product:
    return Product.objects.get(upc=f"{drug.product.upc}-{mg}-{tablets}")


def stock(product) -> StockRecord:
    return StockRecord.objects.get(product=product)


@pytest.fixture
def pharmacist(db):
    user = UserFactory(is_staff=True)
    user.groups.add(staff_groups_ensure()[PHARMACISTS])
    return user


def logged_in(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def pharmacist_client(pharmacist):
    return logged_in(pharmacist)


def user_with(*codenames: str, is_staff: bool = True):
    user = UserFactory(is_staff=is_staff)
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="checkout", codename__in=codenames
        )
    )
    return user


@pytest.fixture(params=["price editor", "plain staff", "anonymous"])
def outsider(request, db):
    """Someone who must not see or touch prescriptions."""
    if request.param == "price editor":
        return request.getfixturevalue("price_editor")
    if request.param == "plain staff":
        return UserFactory(is_staff=True)
    return None


def run_action(client, action: str, prescriptions_, *, query: str = "", **data):
    """Press "Go" on a changelist action, as the changelist form does."""
    return client.post(
        f"{QUEUE}{query}",
        {
            "action": action,
            "_selected_action": [p.pk for p in prescriptions_],
            "index": "0",
            **data,
        },
    )


def confirm_action(client, action: str, prescriptions_, *, query: str = "", **data):
    """Submit an action's intermediate form, as its page does."""
    return client.post(
        f"{QUEUE}{query}",
        {
            "action": action,
            "_selected_action": [p.pk for p in prescriptions_],
            "apply": "yes",
            **data,
        },
    )


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def html(response) -> str:
    return response.content.decode()


def reload(order) -> Order:
    return Order.objects.get(pk=order.pk)


# -- what the queue shows ------------------------------------------------------


def test_pharmacist_sees_the_order_awaiting_review_with_patient_lines_and_supply(
    pharmacist_client, rx_drug
):
    order = place_order(product=pack(rx_drug, "10", 360))
    age = prescriptions.age_on(date_of_birth=ADULT_DOB, today=timezone.localdate())

    response = pharmacist_client.get(QUEUE)

    assert response.status_code == 200
    page = html(response)
    assert "Prescription review queue" in page
    assert order.number in page
    assert f"Alex Rivera, {age}" in page
    assert f"{order.lines.get().title} × 1" in page
    assert "45 days" in page  # 360 x 10 mg at 80 mg a day
    assert "Invoice — nothing to capture" in page


def test_queue_links_the_uploaded_prescription_by_its_id(pharmacist_client, rx_drug):
    order = place_order(product=pack(rx_drug, "10", 30))

    page = html(pharmacist_client.get(QUEUE))

    url = reverse("admin:checkout_prescription_file", args=[order.prescription.pk])
    assert f'href="{url}"' in page
    assert "View uploaded prescription (PNG)" in page


def test_queue_shows_the_prescribers_details_when_no_file_was_uploaded(
    pharmacist_client, rx_drug
):
    order = place_order(product=pack(rx_drug, "10", 30), with_prescription=False)
    Prescription.objects.create(
        order=order,
        source=Prescription.Source.PRESCRIBER,
        prescriber_name="Dr Jane Okafor",
        prescriber_phone="+1 217 555 0199",
        prescriber_npi="1234567893",
    )

    page = html(pharmacist_client.get(QUEUE))

    assert "Dr Jane Okafor" in page
    assert "+1 217 555 0199" in page
    assert "1234567893" in page
    assert "View uploaded prescription" not in page


def test_supply_adds_up_two_packs_and_two_lines_of_the_same_medicine(
    pharmacist_client, pharmacist, rx_drug
):
    basket = basket_with(product=pack(rx_drug, "10", 360), quantity=2)
    basket.add_product(pack(rx_drug, "25", 90), 1)
    order = orders.order_place(attempt_id=checkout_attempt(basket=basket).pk)

    page = html(pharmacist_client.get(QUEUE))

    assert "90 days" in page  # 2 x 360 x 10 mg / 80
    assert "28 days" in page  # 90 x 25 mg / 80 = 28.1
    assert "118 days" in page  # both lines together
    # The queue's prefetched rows give the same figures as a fresh query.
    request = RequestFactory().get(QUEUE)
    request.user = pharmacist
    queue = admin.site._registry[Prescription]
    row = queue.get_queryset(request).get(order=order)
    assert prescriptions.order_supply(order=row.order) == prescriptions.order_supply(
        order=order
    )


def test_card_order_shows_the_time_left_on_its_authorisation(
    pharmacist_client, rx_drug
):
    order = place_order(product=pack(rx_drug, "10", 30), method="card")
    placed = timezone.now() - datetime.timedelta(days=2, minutes=30)
    Order.objects.filter(pk=order.pk).update(date_placed=placed)
    OrderPayment.objects.filter(order=order).update(authorised_at=placed)

    page = html(pharmacist_client.get(QUEUE))

    assert "4 days 23 hours left on the card authorisation" in page
    assert "Invoice — nothing to capture" not in page


def test_card_order_past_seven_days_shows_the_authorisation_expired(
    pharmacist_client, rx_drug
):
    order = place_order(product=pack(rx_drug, "10", 30), method="card")
    placed = timezone.now() - datetime.timedelta(days=7, hours=1)
    Order.objects.filter(pk=order.pk).update(date_placed=placed)
    OrderPayment.objects.filter(order=order).update(authorised_at=placed)

    page = html(pharmacist_client.get(QUEUE))

    assert "Card authorisation expired" in page


def test_card_order_lapsing_within_a_day_is_flagged(pharmacist_client, rx_drug):
    order = place_order(product=pack(rx_drug, "10", 30), method="card")
    placed = timezone.now() - datetime.timedelta(days=6, hours=12)
    OrderPayment.objects.filter(order=order).update(authorised_at=placed)

    page = html(pharmacist_client.get(QUEUE))

    assert "Lapses soon: 11 hours left on the card authorisation" in page


def test_a_payment_problem_shows_in_the_queue_with_its_reason(
    pharmacist_client, rx_drug
):
    order = place_order(product=pack(rx_drug, "10", 30), method="card")
    OrderPayment.objects.filter(order=order).update(
        state=PaymentState.CAPTURE_FAILED,
        problem="Card declined (card_declined): Your card has insufficient funds.",
    )

    page = html(pharmacist_client.get(QUEUE))

    assert "Payment problem: Card declined" in page
    assert "insufficient funds" in page


def test_queue_lists_only_orders_awaiting_review_newest_first(
    pharmacist_client, pharmacist, rx_drug
):
    older = place_order(product=pack(rx_drug, "10", 30))
    newer = place_order(product=pack(rx_drug, "10", 60))
    decided = place_order(product=pack(rx_drug, "10", 360))
    Order.objects.filter(pk=older.pk).update(
        date_placed=timezone.now() - datetime.timedelta(hours=3)
    )
    lifecycle.order_approve(order=decided, actor=pharmacist)

    page = html(pharmacist_client.get(QUEUE))
    to_dispatch = html(pharmacist_client.get(f"{QUEUE}?queue=dispatch"))

    assert decided.number not in page
    assert page.index(newer.number) < page.index(older.number)
    assert decided.number in to_dispatch
    assert older.number not in to_dispatch


def test_queue_query_count_does_not_grow_with_the_number_of_orders(
    pharmacist_client, rx_drug
):
    def queue_queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert pharmacist_client.get(QUEUE).status_code == 200
        return len(ctx.captured_queries)

    place_order(product=pack(rx_drug, "10", 360), method="card")
    one = queue_queries()
    for i in range(9):
        place_order(
            product=pack(rx_drug, "10", 30),
            quantity=1 + i % 3,
            method="card" if i % 2 else "invoice",
        )
    assert Prescription.objects.count() == 10

    assert queue_queries() == one


def test_pharmacist_opens_a_prescription_with_the_patients_health_details(
    pharmacist_client, rx_drug
):
    order = place_order(product=pack(rx_drug, "10", 30))
    PatientDetails.objects.filter(order=order).update(
        allergies="Penicillin", current_medicines="Sertraline 50 mg"
    )
    url = reverse("admin:checkout_prescription_change", args=[order.prescription.pk])

    response = pharmacist_client.get(url)

    assert response.status_code == 200
    page = html(response)
    assert "Penicillin" in page and "Sertraline 50 mg" in page
    assert "45 days" not in page and "3 days" in page  # 30 x 10 mg / 80


def test_prescriptions_and_patients_are_read_only_even_for_a_superuser(rx_drug):
    client = logged_in(UserFactory(is_staff=True, is_superuser=True))
    order = place_order(product=pack(rx_drug, "10", 30))
    prescription, patient = order.prescription, order.patient
    change = reverse("admin:checkout_prescription_change", args=[prescription.pk])
    patient_change = reverse("admin:checkout_patientdetails_change", args=[patient.pk])

    assert 'name="decision"' not in html(client.get(change))
    assert client.post(change, {"decision": "approved"}).status_code == 403
    assert client.post(patient_change, {"full_name": "X"}).status_code == 403
    for name, obj in (("prescription", prescription), ("patientdetails", patient)):
        delete = reverse(f"admin:checkout_{name}_delete", args=[obj.pk])
        assert client.post(delete, {"post": "yes"}).status_code == 403
    assert client.get(reverse("admin:checkout_prescription_add")).status_code == 403
    assert "delete_selected" not in html(client.get(QUEUE))
    assert Prescription.objects.get(order=order).decision == "pending"
    assert reload(order).status == OrderStatus.AWAITING_REVIEW


def test_pharmacist_sees_patient_details_read_only(pharmacist_client, rx_drug):
    order = place_order(product=pack(rx_drug, "10", 30))
    patient = order.patient

    assert order.number in html(pharmacist_client.get(PATIENTS))
    change = reverse("admin:checkout_patientdetails_change", args=[patient.pk])
    assert pharmacist_client.get(change).status_code == 200
    response = pharmacist_client.post(change, {"full_name": "Someone Else"})
    assert response.status_code == 403
    patient.refresh_from_db()
    assert patient.full_name == "Alex Rivera"


# -- approving -----------------------------------------------------------------


def test_approve_moves_the_order_to_approved_and_records_the_pharmacist(
    pharmacist_client, pharmacist, rx_drug
):
    order = place_order(product=pack(rx_drug, "10", 30))

    response = run_action(pharmacist_client, "approve_selected", [order.prescription])

    assert response.status_code == 302
    assert f"Approved 1 order: {order.number}." in messages_of(response)
    assert reload(order).status == OrderStatus.APPROVED
    event = OrderEvent.objects.get(order=order, action="approved")
    assert event.actor == pharmacist
    assert (event.from_status, event.to_status) == (
        OrderStatus.AWAITING_REVIEW,
        OrderStatus.APPROVED,
    )
    prescription = Prescription.objects.get(order=order)
    assert prescription.decision == Prescription.Decision.APPROVED
    assert prescription.reviewed_by == pharmacist


def test_approve_reports_each_refusal_and_approves_the_rest(
    pharmacist_client, pharmacist, rx_drug
):
    waiting = place_order(product=pack(rx_drug, "10", 30))
    already = place_order(product=pack(rx_drug, "10", 60))
    lifecycle.order_approve(order=already, actor=pharmacist)

    response = run_action(
        pharmacist_client,
        "approve_selected",
        [waiting.prescription, already.prescription],
        query="?queue=all",
    )

    msgs = messages_of(response)
    assert f"Approved 1 order: {waiting.number}." in msgs
    assert any(already.number in m and "not approved" in m for m in msgs)
    assert reload(waiting).status == OrderStatus.APPROVED
    assert OrderEvent.objects.filter(order=already, action="approved").count() == 1


# -- rejecting -----------------------------------------------------------------


def test_reject_asks_for_a_reason_first(pharmacist_client, rx_drug):
    order = place_order(product=pack(rx_drug, "10", 30))

    response = run_action(pharmacist_client, "reject_selected", [order.prescription])

    assert response.status_code == 200
    page = html(response)
    assert 'name="reason"' in page
    assert order.number in page
    assert reload(order).status == OrderStatus.AWAITING_REVIEW


@pytest.mark.parametrize("reason", ["", "   \n "])
def test_reject_without_a_reason_is_refused_and_the_order_unchanged(
    pharmacist_client, rx_drug, reason
):
    product = pack(rx_drug, "10", 30)
    order = place_order(product=product)

    response = confirm_action(
        pharmacist_client, "reject_selected", [order.prescription], reason=reason
    )

    assert response.status_code == 200
    assert "Please give the customer a reason for the rejection." in html(response)
    assert reload(order).status == OrderStatus.AWAITING_REVIEW
    assert not OrderEvent.objects.filter(order=order, action="rejected").exists()
    assert stock(product).num_allocated == 1
    assert (
        Prescription.objects.get(order=order).decision == Prescription.Decision.PENDING
    )


def test_reject_with_a_reason_rejects_and_returns_the_stock(
    pharmacist_client, pharmacist, rx_drug
):
    product = pack(rx_drug, "10", 30)
    order = place_order(product=product, quantity=2)
    assert stock(product).num_allocated == 2

    response = confirm_action(
        pharmacist_client,
        "reject_selected",
        [order.prescription],
        reason="The prescription has expired.",
    )

    assert response.status_code == 302
    assert f"Rejected 1 order: {order.number}." in messages_of(response)
    assert reload(order).status == OrderStatus.REJECTED
    assert stock(product).num_allocated == 0
    prescription = Prescription.objects.get(order=order)
    assert prescription.decision == Prescription.Decision.REJECTED
    assert prescription.rejection_reason == "The prescription has expired."
    event = OrderEvent.objects.get(order=order, action="rejected")
    assert event.actor == pharmacist
    assert "The prescription has expired." in event.note


# -- cancelling ----------------------------------------------------------------


@pytest.mark.parametrize("approved", [False, True])
def test_cancel_at_the_customers_request_returns_the_stock_and_emails_them(
    pharmacist_client, pharmacist, rx_drug, approved, django_capture_on_commit_callbacks
):
    product = pack(rx_drug, "10", 30)
    order = place_order(product=product)
    if approved:
        lifecycle.order_approve(order=order, actor=pharmacist)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = confirm_action(
            pharmacist_client,
            "cancel_selected",
            [order.prescription],
            query="?queue=all",
            reason="Customer phoned to cancel.",
        )

    assert f"Cancelled 1 order: {order.number}." in messages_of(response)
    assert reload(order).status == OrderStatus.CANCELLED
    assert stock(product).num_allocated == 0
    event = OrderEvent.objects.get(order=order, action="cancelled")
    assert event.actor == pharmacist
    assert "Customer phoned to cancel." in event.note
    (message,) = mail.outbox
    assert "cancelled" in message.subject


def test_cancel_without_a_reason_is_refused_and_the_order_unchanged(
    pharmacist_client, rx_drug
):
    product = pack(rx_drug, "10", 30)
    order = place_order(product=product)

    response = confirm_action(
        pharmacist_client, "cancel_selected", [order.prescription], reason=" "
    )

    assert "Please record why the order is cancelled." in html(response)
    assert reload(order).status == OrderStatus.AWAITING_REVIEW
    assert stock(product).num_allocated == 1


def test_a_dispatched_order_cannot_be_cancelled(pharmacist_client, pharmacist, rx_drug):
    order = place_order(product=pack(rx_drug, "10", 30))
    lifecycle.order_approve(order=order, actor=pharmacist)
    lifecycle.order_dispatch(order=order, actor=pharmacist, tracking_reference="T1")

    response = run_action(
        pharmacist_client, "cancel_selected", [order.prescription], query="?queue=all"
    )

    assert any(
        order.number in m and "can't be cancelled" in m for m in messages_of(response)
    )
    assert reload(order).status == OrderStatus.DISPATCHED


# -- dispatching ---------------------------------------------------------------


def test_dispatch_of_an_approved_order_records_the_tracking_reference(
    pharmacist_client, pharmacist, rx_drug
):
    product = pack(rx_drug, "10", 30)
    order = place_order(product=product)
    lifecycle.order_approve(order=order, actor=pharmacist)
    in_stock = stock(product).num_in_stock

    form = run_action(
        pharmacist_client,
        "dispatch_selected",
        [order.prescription],
        query="?queue=dispatch",
    )
    assert form.status_code == 200
    field = f"tracking_{order.prescription.pk}"
    assert f'name="{field}"' in html(form)

    response = confirm_action(
        pharmacist_client,
        "dispatch_selected",
        [order.prescription],
        query="?queue=dispatch",
        **{field: "1Z999AA10123456784"},
    )

    assert response.status_code == 302
    assert f"Dispatched 1 order: {order.number}." in messages_of(response)
    assert reload(order).status == OrderStatus.DISPATCHED
    assert "1Z999AA10123456784" in ShippingEvent.objects.get(order=order).notes
    record = stock(product)
    assert (record.num_in_stock, record.num_allocated) == (in_stock - 1, 0)
    event = OrderEvent.objects.get(order=order, action="dispatched")
    assert event.actor == pharmacist


def test_dispatch_without_a_tracking_reference_is_refused(
    pharmacist_client, pharmacist, rx_drug
):
    order = place_order(product=pack(rx_drug, "10", 30))
    lifecycle.order_approve(order=order, actor=pharmacist)

    response = confirm_action(
        pharmacist_client,
        "dispatch_selected",
        [order.prescription],
        query="?queue=dispatch",
        **{f"tracking_{order.prescription.pk}": "  "},
    )

    assert response.status_code == 200
    assert "Please enter the carrier&#x27;s tracking reference." in html(response)
    assert reload(order).status == OrderStatus.APPROVED


def test_admin_refuses_to_dispatch_an_order_awaiting_review(pharmacist_client, rx_drug):
    order = place_order(product=pack(rx_drug, "10", 30))
    selected = [order.prescription]

    asked = run_action(
        pharmacist_client, "dispatch_selected", selected, query="?queue=all"
    )
    forced = confirm_action(
        pharmacist_client,
        "dispatch_selected",
        selected,
        query="?queue=all",
        **{f"tracking_{order.prescription.pk}": "1Z999"},
    )

    assert asked.status_code == 302
    assert any(
        order.number in m and "can't be dispatched" in m for m in messages_of(asked)
    )
    assert forced.status_code == 302
    assert any(order.number in m and "not dispatched" in m for m in messages_of(forced))
    assert reload(order).status == OrderStatus.AWAITING_REVIEW
    assert not ShippingEvent.objects.filter(order=order).exists()


def test_dispatcher_without_review_permission_cannot_skip_approval(rx_drug):
    order = place_order(product=pack(rx_drug, "10", 30))
    dispatcher = user_with("dispatch_order")

    with pytest.raises(lifecycle.OrderActionRefused):
        lifecycle.order_dispatch(
            order=order, actor=dispatcher, tracking_reference="1Z999"
        )
    with pytest.raises(lifecycle.OrderActionRefused):
        lifecycle.order_approve(order=order, actor=dispatcher)

    assert reload(order).status == OrderStatus.AWAITING_REVIEW


def test_status_pipeline_has_no_step_from_awaiting_review_to_dispatched(rx_drug):
    order = place_order(product=pack(rx_drug, "10", 30))

    with pytest.raises(InvalidOrderStatus):
        order.set_status(OrderStatus.DISPATCHED)

    assert reload(order).status == OrderStatus.AWAITING_REVIEW


@pytest.mark.parametrize("who", ["pharmacist", "superuser"])
def test_oscar_order_admin_is_read_only(rx_drug, who, pharmacist):
    user = pharmacist if who == "pharmacist" else UserFactory(is_superuser=True)
    user.is_staff = True
    user.save()
    client = logged_in(user)
    order = place_order(product=pack(rx_drug, "10", 30))
    change = reverse("admin:order_order_change", args=[order.pk])

    listing = client.get(ORDERS)
    page = client.get(change)
    posted = client.post(change, {"status": OrderStatus.DISPATCHED, "_save": "Save"})

    assert listing.status_code == 200
    assert order.number in html(listing)
    assert page.status_code == 200
    assert 'name="status"' not in html(page)
    assert posted.status_code == 403
    assert client.get(reverse("admin:order_order_add")).status_code == 403
    delete = reverse("admin:order_order_delete", args=[order.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert reload(order).status == OrderStatus.AWAITING_REVIEW


# -- who may do what -----------------------------------------------------------


def test_reviewer_without_dispatch_permission_has_no_dispatch_action(rx_drug):
    reviewer = user_with("review_prescription")
    client = logged_in(reviewer)
    order = place_order(product=pack(rx_drug, "10", 30))
    lifecycle.order_approve(order=order, actor=reviewer)

    page = html(client.get(f"{QUEUE}?queue=dispatch"))
    response = confirm_action(
        client,
        "dispatch_selected",
        [order.prescription],
        query="?queue=dispatch",
        **{f"tracking_{order.prescription.pk}": "1Z999"},
    )

    assert "approve_selected" in page
    assert "dispatch_selected" not in page
    assert "No action selected." in messages_of(response)
    assert reload(order).status == OrderStatus.APPROVED


def test_outsider_cannot_see_the_queue_or_patients(outsider, rx_drug):
    client = logged_in(outsider)
    order = place_order(product=pack(rx_drug, "10", 30))
    detail = reverse("admin:checkout_prescription_change", args=[order.prescription.pk])

    for url in (QUEUE, PATIENTS, detail):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert order.number not in html(response)
        if outsider is None:
            assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.parametrize(
    "action", ["approve_selected", "reject_selected", "dispatch_selected"]
)
def test_outsider_cannot_run_the_actions(outsider, pharmacist, rx_drug, action):
    client = logged_in(outsider)
    awaiting = place_order(product=pack(rx_drug, "10", 30))
    approved = place_order(product=pack(rx_drug, "10", 60))
    lifecycle.order_approve(order=approved, actor=pharmacist)
    selected = [awaiting.prescription, approved.prescription]
    fields = {f"tracking_{p.pk}": "1Z999" for p in selected}

    pressed = run_action(client, action, selected, query="?queue=all")
    confirmed = confirm_action(
        client, action, selected, query="?queue=all", reason="No.", **fields
    )

    for response in (pressed, confirmed):
        assert response.status_code in (302, 403)
        if response.status_code == 302:  # only the anonymous: off to sign in
            assert response["Location"].startswith(reverse("admin:login"))
    assert reload(awaiting).status == OrderStatus.AWAITING_REVIEW
    assert reload(approved).status == OrderStatus.APPROVED


def test_price_editor_admin_index_lists_no_prescriptions_or_patients(
    editor_client, rx_drug
):
    page = html(editor_client.get(reverse("admin:index")))

    assert QUEUE not in page
    assert PATIENTS not in page
    assert ORDERS not in page


def test_pharmacist_admin_index_lists_the_queue(pharmacist_client):
    page = html(pharmacist_client.get(reverse("admin:index")))

    assert QUEUE in page
    assert PATIENTS in page
