"""Who may approve, reject, dispatch or cancel an order, and what each change
does to stock and the order's history."""

import pytest
from django.contrib.auth.models import AnonymousUser, Permission
from oscar.apps.order.models import PaymentEvent, ShippingEvent

from checkout.dispensing.models import Prescription
from checkout.orders import actions
from checkout.orders.actions import OrderActionRefused
from checkout.orders.models import OrderEvent
from checkout.orders.workflow import OrderStatus
from tests.checkout_helpers import fill
from tests.factories import UserFactory
from tests.integration.checkout.orders.conftest import (
    events,
    fresh,
    stock_of,
)

# -- permissions -----------------------------------------------------------------------


def _approve(order, actor):
    return actions.order_approve(order=order, actor=actor)


def _reject(order, actor):
    return actions.order_reject(order=order, actor=actor, reason="Not legible")


def _cancel(order, actor):
    return actions.order_cancel(order=order, actor=actor, reason="Customer asked")


ACTIONS = {"approve": _approve, "reject": _reject, "cancel": _cancel}


@pytest.mark.parametrize("action", ACTIONS.values(), ids=ACTIONS.keys())
@pytest.mark.parametrize("who", ["price editor", "anonymous", "nobody", "customer"])
def test_only_pharmacists_may_decide_on_an_order(order, price_editor, action, who):
    actor = {
        "price editor": price_editor,
        "anonymous": AnonymousUser(),
        "nobody": None,
        "customer": UserFactory(),
    }[who]

    with pytest.raises(OrderActionRefused, match="permission"):
        action(order, actor)

    assert fresh(order).status == OrderStatus.AWAITING_REVIEW
    assert [e[0] for e in events(order)] == ["placed"]
    assert stock_of(order.lines.get().product).num_allocated == 2


@pytest.mark.parametrize("who", ["price editor", "anonymous", "nobody"])
def test_only_pharmacists_may_dispatch(order, pharmacist, price_editor, who):
    actions.order_approve(order=order, actor=pharmacist)
    actor = {"price editor": price_editor, "anonymous": AnonymousUser(), "nobody": None}

    with pytest.raises(OrderActionRefused, match="permission"):
        actions.order_dispatch(
            order=order, actor=actor[who], tracking_reference="1Z999"
        )

    assert fresh(order).status == OrderStatus.APPROVED


def test_an_inactive_pharmacist_is_refused(order, pharmacist):
    pharmacist.is_active = False
    pharmacist.save()

    with pytest.raises(OrderActionRefused):
        actions.order_approve(order=order, actor=pharmacist)

    assert fresh(order).status == OrderStatus.AWAITING_REVIEW


def test_dispatch_permission_alone_does_not_allow_approving(order):
    packer = UserFactory(is_staff=True)
    packer.user_permissions.add(Permission.objects.get(codename="dispatch_order"))

    with pytest.raises(OrderActionRefused):
        actions.order_approve(order=order, actor=packer)


# -- transitions -----------------------------------------------------------------------


def test_a_pharmacist_approves_and_the_event_records_who(order, pharmacist):
    actions.order_approve(order=order, actor=pharmacist)

    order = fresh(order)
    assert order.status == OrderStatus.APPROVED
    assert all(line.status == OrderStatus.APPROVED for line in order.lines.all())
    assert events(order)[-1] == (
        "approved",
        pharmacist.pk,
        OrderStatus.AWAITING_REVIEW,
        OrderStatus.APPROVED,
    )
    prescription = order.prescription
    assert prescription.decision == Prescription.Decision.APPROVED
    assert prescription.reviewed_by == pharmacist
    assert prescription.reviewed_at is not None
    # An invoice order is invoiced on approval, not charged online.
    assert PaymentEvent.objects.filter(
        order=order, event_type__name="Invoice issued"
    ).exists()
    # Stock stays allocated until dispatch.
    assert stock_of(order.lines.get().product).num_allocated == 2


def test_rejecting_releases_stock_and_records_the_reason(order, pharmacist, pack):
    in_stock = stock_of(pack).num_in_stock

    actions.order_reject(order=order, actor=pharmacist, reason="  Expired Rx  ")

    order = fresh(order)
    assert order.status == OrderStatus.REJECTED
    record = stock_of(pack)
    assert (record.num_in_stock, record.num_allocated) == (in_stock, 0)
    event = OrderEvent.objects.filter(order=order).last()
    assert (event.action, event.actor, event.from_status, event.to_status) == (
        "rejected",
        pharmacist,
        OrderStatus.AWAITING_REVIEW,
        OrderStatus.REJECTED,
    )
    assert event.note.startswith("Expired Rx\n")
    assert order.prescription.decision == Prescription.Decision.REJECTED
    assert order.prescription.rejection_reason == "Expired Rx"


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_rejecting_needs_a_reason(order, pharmacist, reason):
    with pytest.raises(OrderActionRefused, match="reason"):
        actions.order_reject(order=order, actor=pharmacist, reason=reason)

    assert fresh(order).status == OrderStatus.AWAITING_REVIEW
    assert fresh(order).prescription.decision == Prescription.Decision.PENDING


def test_dispatching_consumes_the_stock_and_records_the_tracking(
    order, pharmacist, pack
):
    in_stock = stock_of(pack).num_in_stock
    actions.order_approve(order=order, actor=pharmacist)
    fill(order=order, actor=pharmacist)

    actions.order_dispatch(
        order=order, actor=pharmacist, tracking_reference=" 1Z999AA10123456784 "
    )

    order = fresh(order)
    assert order.status == OrderStatus.DISPATCHED
    record = stock_of(pack)
    assert (record.num_in_stock, record.num_allocated) == (in_stock - 2, 0)
    shipping = ShippingEvent.objects.get(order=order)
    assert shipping.notes == "Tracking: 1Z999AA10123456784"
    assert shipping.line_quantities.get().quantity == 2
    assert events(order)[-1] == (
        "dispatched",
        pharmacist.pk,
        OrderStatus.FILLED,
        OrderStatus.DISPATCHED,
    )


def test_dispatching_needs_a_tracking_reference(order, pharmacist):
    actions.order_approve(order=order, actor=pharmacist)
    fill(order=order, actor=pharmacist)

    with pytest.raises(OrderActionRefused, match="tracking"):
        actions.order_dispatch(order=order, actor=pharmacist, tracking_reference=" ")

    assert fresh(order).status == OrderStatus.FILLED


def test_an_approved_order_is_not_dispatched_before_it_is_filled(order, pharmacist):
    actions.order_approve(order=order, actor=pharmacist)

    with pytest.raises(OrderActionRefused, match="Approved"):
        actions.order_dispatch(order=order, actor=pharmacist, tracking_reference="T1")

    assert fresh(order).status == OrderStatus.APPROVED


def test_an_approved_order_whose_prescription_is_not_approved_is_not_dispatched(
    order, pharmacist
):
    actions.order_approve(order=order, actor=pharmacist)
    fill(order=order, actor=pharmacist)
    Prescription.objects.filter(order=order).update(
        decision=Prescription.Decision.PENDING
    )

    with pytest.raises(OrderActionRefused, match="not approved"):
        actions.order_dispatch(order=order, actor=pharmacist, tracking_reference="T1")

    assert fresh(order).status == OrderStatus.FILLED


@pytest.mark.parametrize("status", [OrderStatus.AWAITING_REVIEW, OrderStatus.APPROVED])
def test_cancelling_an_unshipped_order_releases_its_stock(
    order, pharmacist, pack, status
):
    if status == OrderStatus.APPROVED:
        actions.order_approve(order=order, actor=pharmacist)
    in_stock = stock_of(pack).num_in_stock

    actions.order_cancel(order=order, actor=pharmacist, reason="Customer asked")

    order = fresh(order)
    assert order.status == OrderStatus.CANCELLED
    record = stock_of(pack)
    assert (record.num_in_stock, record.num_allocated) == (in_stock, 0)
    assert events(order)[-1] == ("cancelled", pharmacist.pk, status, "Cancelled")


def test_cancelling_needs_a_reason(order, pharmacist):
    with pytest.raises(OrderActionRefused):
        actions.order_cancel(order=order, actor=pharmacist, reason="")

    assert fresh(order).status == OrderStatus.AWAITING_REVIEW


def _to(order, pharmacist, status):
    if status in (OrderStatus.APPROVED, OrderStatus.DISPATCHED):
        actions.order_approve(order=order, actor=pharmacist)
    if status == OrderStatus.DISPATCHED:
        fill(order=order, actor=pharmacist)
        actions.order_dispatch(order=order, actor=pharmacist, tracking_reference="T1")
    if status == OrderStatus.REJECTED:
        actions.order_reject(order=order, actor=pharmacist, reason="Not legible")
    if status == OrderStatus.CANCELLED:
        actions.order_cancel(order=order, actor=pharmacist, reason="Asked")


INVALID = [
    (OrderStatus.AWAITING_REVIEW, "dispatch"),
    (OrderStatus.APPROVED, "approve"),
    (OrderStatus.APPROVED, "reject"),
    (OrderStatus.REJECTED, "approve"),
    (OrderStatus.REJECTED, "dispatch"),
    (OrderStatus.REJECTED, "cancel"),
    (OrderStatus.REJECTED, "reject"),
    (OrderStatus.DISPATCHED, "cancel"),
    (OrderStatus.DISPATCHED, "dispatch"),
    (OrderStatus.DISPATCHED, "reject"),
    (OrderStatus.CANCELLED, "approve"),
    (OrderStatus.CANCELLED, "dispatch"),
]


@pytest.mark.parametrize(("status", "action"), INVALID)
def test_invalid_transitions_are_refused(order, pharmacist, pack, status, action):
    _to(order, pharmacist, status)
    before = events(order)
    record = stock_of(pack)
    run = {
        **ACTIONS,
        "dispatch": lambda o, a: actions.order_dispatch(
            order=o, actor=a, tracking_reference="T2"
        ),
    }[action]

    with pytest.raises(OrderActionRefused):
        run(order, pharmacist)

    assert fresh(order).status == status
    assert events(order) == before
    after = stock_of(pack)
    assert (after.num_in_stock, after.num_allocated) == (
        record.num_in_stock,
        record.num_allocated,
    )
