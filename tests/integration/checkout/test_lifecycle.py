"""The order lifecycle services: who may approve, reject, dispatch or cancel an
order, what each change does to stock, the audit trail and the customer's
emails, and how placing an order refuses a total that doesn't add up."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser, Permission
from django.contrib.sites.models import Site
from django.core import mail
from oscar.apps.order.models import Order, PaymentEvent, ShippingEvent

from catalog.models import Product, Strength
from catalog.partner.models import StockRecord
from checkout.dispensing.models import PatientDetails, Prescription
from checkout.orders import actions, notifications, placing, workflow
from checkout.orders.actions import OrderActionRefused
from checkout.orders.models import CheckoutAttempt, OrderEvent
from checkout.orders.workflow import OrderStatus
from checkout.payments.states import PaymentMethod
from pharmacy.staff.groups import staff_groups_ensure
from pharmacy.staff.roles import PHARMACISTS
from tests.checkout_helpers import (
    ADULT_DOB,
    basket_with,
    checkout_attempt,
    pharmacist_checks_record,
)
from tests.factories import UserFactory

ALLERGY = "Penicillin anaphylaxis"
MEDICINE = "Sertraline 50 mg"


@pytest.fixture(autouse=True)
def _private_files(private_root):
    pass


@pytest.fixture
def pack(drug) -> Product:
    return Product.objects.get(upc=f"{drug.product.upc}-10-30")


def stock_of(product) -> StockRecord:
    return StockRecord.objects.get(product=product)


@pytest.fixture
def pharmacist(db):
    user = UserFactory(is_staff=True)
    user.groups.add(staff_groups_ensure()[PHARMACISTS])
    return user


def new_attempt(pack, *, quantity=2, owner=None, **kwargs) -> CheckoutAttempt:
    """A checkout ready to place, with health data that must stay private."""
    basket = basket_with(product=pack, quantity=quantity, owner=owner)
    attempt = checkout_attempt(basket=basket, **kwargs)
    PatientDetails.objects.filter(basket=basket).update(
        allergies=ALLERGY, current_medicines=MEDICINE
    )
    return attempt


def place(pack, **kwargs) -> Order:
    """Placed, with the pharmacist's prescription record and counselling done."""
    order = placing.order_place(attempt_id=new_attempt(pack, **kwargs).pk)
    pharmacist_checks_record(order=order)
    return order


@pytest.fixture
def order(pack) -> Order:
    """A guest's invoice order for 2 packs, awaiting prescription review."""
    return place(pack)


def fresh(order: Order) -> Order:
    return Order.objects.get(pk=order.pk)


def events(order: Order) -> list[tuple]:
    return [
        (e.action, e.actor_id, e.from_status, e.to_status)
        for e in OrderEvent.objects.filter(order=order)
    ]


# -- placing ---------------------------------------------------------------------------


def test_placing_allocates_stock_and_records_who_placed_it(pack):
    before = stock_of(pack)
    customer = UserFactory()

    order = place(pack, owner=customer)

    after = stock_of(pack)
    assert order.status == OrderStatus.AWAITING_REVIEW
    assert after.num_in_stock == before.num_in_stock
    assert after.num_allocated == (before.num_allocated or 0) + 2
    assert events(order) == [("placed", customer.pk, "", OrderStatus.AWAITING_REVIEW)]
    assert order.patient.allergies == ALLERGY
    assert order.prescription.decision == Prescription.Decision.PENDING
    assert order.lines.get().stockrecord == after


def test_placing_twice_places_one_order(pack):
    attempt = new_attempt(pack)

    first = placing.order_place(attempt_id=attempt.pk)
    second = placing.order_place(attempt_id=attempt.pk)

    assert first == second
    assert Order.objects.count() == 1
    assert stock_of(pack).num_allocated == 2


def test_an_attempt_whose_amount_differs_from_the_basket_total_is_refused(pack):
    # The basket comes to 2 x 38.70 + 4.95 = 82.35.
    attempt = new_attempt(pack, amount=Decimal("0.01"))

    with pytest.raises(placing.OrderNotPlaced, match="did not match"):
        placing.order_place(attempt_id=attempt.pk)

    attempt.refresh_from_db()
    assert attempt.status == CheckoutAttempt.Status.MISMATCH
    assert "82.35" in attempt.note
    assert attempt.order is None
    assert not Order.objects.exists()
    assert not stock_of(pack).num_allocated
    # And it stays refused: a mismatched checkout can't be placed later.
    with pytest.raises(placing.OrderNotPlaced):
        placing.order_place(attempt_id=attempt.pk)
    assert not Order.objects.exists()


def test_a_price_change_after_pressing_place_order_is_refused(pack):
    attempt = new_attempt(pack)
    StockRecord.objects.filter(product=pack).update(price=Decimal("1.00"))

    with pytest.raises(placing.OrderNotPlaced):
        placing.order_place(attempt_id=attempt.pk)

    attempt.refresh_from_db()
    assert attempt.status == CheckoutAttempt.Status.MISMATCH
    assert not Order.objects.exists()


@pytest.mark.parametrize(
    ("authorised", "currency"),
    [(Decimal("82.34"), "USD"), (Decimal("82.35"), "EUR"), (Decimal("0"), None)],
)
def test_a_card_authorisation_that_differs_from_the_total_is_refused(
    pack, authorised, currency
):
    attempt = new_attempt(pack, method=PaymentMethod.CARD)
    assert attempt.amount == Decimal("82.35")

    with pytest.raises(placing.OrderNotPlaced):
        placing.order_place(
            attempt_id=attempt.pk,
            authorised_amount=authorised,
            authorised_currency=currency,
        )

    attempt.refresh_from_db()
    assert attempt.status == CheckoutAttempt.Status.MISMATCH
    assert not Order.objects.exists()


def test_more_packs_than_in_stock_are_refused_before_oscar_allocates(pack):
    StockRecord.objects.filter(product=pack).update(num_in_stock=3, num_allocated=2)
    attempt = new_attempt(pack, quantity=2)

    with pytest.raises(placing.OrderNotPlaced, match="sold out"):
        placing.order_place(attempt_id=attempt.pk)

    record = stock_of(pack)
    assert (record.num_in_stock, record.num_allocated) == (3, 2)
    assert not Order.objects.exists()
    attempt.refresh_from_db()
    assert attempt.status == CheckoutAttempt.Status.PENDING


def test_a_strength_withdrawn_while_the_shopper_pays_is_refused(pack, drug):
    # A card checkout is placed later, from Stripe's return page or webhook.
    attempt = new_attempt(pack, method=PaymentMethod.CARD)
    # No signal from a bulk update: the final check must read the database.
    Strength.objects.filter(drug=drug, mg=Decimal("10")).update(is_available=False)

    with pytest.raises(placing.OrderNotPlaced, match="no longer available"):
        placing.order_place(
            attempt_id=attempt.pk,
            authorised_amount=attempt.amount,
            authorised_currency="USD",
        )

    assert not Order.objects.exists()
    assert not stock_of(pack).num_allocated
    attempt.refresh_from_db()
    assert attempt.order is None


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
        OrderStatus.APPROVED,
        OrderStatus.DISPATCHED,
    )


def test_dispatching_needs_a_tracking_reference(order, pharmacist):
    actions.order_approve(order=order, actor=pharmacist)

    with pytest.raises(OrderActionRefused, match="tracking"):
        actions.order_dispatch(order=order, actor=pharmacist, tracking_reference=" ")

    assert fresh(order).status == OrderStatus.APPROVED


def test_an_approved_order_whose_prescription_is_not_approved_is_not_dispatched(
    order, pharmacist
):
    actions.order_approve(order=order, actor=pharmacist)
    Prescription.objects.filter(order=order).update(
        decision=Prescription.Decision.PENDING
    )

    with pytest.raises(OrderActionRefused, match="not approved"):
        actions.order_dispatch(order=order, actor=pharmacist, tracking_reference="T1")

    assert fresh(order).status == OrderStatus.APPROVED


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


# -- emails ----------------------------------------------------------------------------


def health_data(order: Order) -> list[str]:
    """Everything about the patient or prescription an email must not show."""
    file_name = order.prescription.file.name
    assert file_name
    return [
        ADULT_DOB.isoformat(),
        ADULT_DOB.strftime("%m/%d/%Y"),
        ADULT_DOB.strftime("%d/%m/%Y"),
        ADULT_DOB.strftime("%B %d, %Y"),
        ADULT_DOB.strftime("%B %-d, %Y"),
        ADULT_DOB.strftime("%b. %-d, %Y"),
        file_name,
        Path(file_name).name,
        Path(file_name).stem,
        str(settings.PRIVATE_MEDIA_ROOT),
        ALLERGY,
        MEDICINE,
        "Penicillin",
        "Sertraline",
    ]


def parts(message) -> dict[str, str]:
    html = [body for body, kind in message.alternatives if kind == "text/html"]
    return {"subject": message.subject, "text": message.body, "html": html[0]}


def assert_safe_email(message, order: Order) -> dict[str, str]:
    pharmacy = settings.PHARMACY
    shown = parts(message)
    for part in ("text", "html"):
        body = shown[part]
        assert pharmacy["name"] in body, part
        assert pharmacy["licence_number"] in body, part
        assert pharmacy["street_address"] in body, part
        assert pharmacy["phone"] in body, part
        assert pharmacy["pharmacist_in_charge"] in body, part
        assert order.number in body, part
        # The lines the customer ordered and the delivery address are fine.
        assert "Baclofen 10 mg, 30 tablets" in body, part
        assert "1 Main Street" in body, part
    assert order.number in shown["subject"]
    assert pharmacy["name"] in shown["subject"]
    for part, body in shown.items():
        for secret in health_data(order):
            assert secret not in body, (part, secret)
    return shown


def test_the_order_placed_email(pack, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        order = place(pack)

    (message,) = mail.outbox
    assert message.to == ["guest@example.com"]
    shown = assert_safe_email(message, order)
    for part in ("text", "html"):
        body = " ".join(shown[part].split())
        assert "received" in body
        assert "pharmacist" in body and "prescription" in body
        assert "Nothing is dispatched and nothing is charged" in body
        status = notifications.order_status_path(order=order)
        assert f"{settings.PUBLIC_BASE_URL}{status}" in body
        assert "$82.35" in body
    assert "awaiting a pharmacist" in shown["subject"]


def test_a_registered_customer_gets_the_email_with_their_status_link(
    pack, django_capture_on_commit_callbacks
):
    customer = UserFactory(email="sam@example.com")

    with django_capture_on_commit_callbacks(execute=True):
        order = place(pack, owner=customer)

    (message,) = mail.outbox
    assert message.to == ["sam@example.com"]
    assert f"/accounts/orders/{order.number}/" in message.body


def test_the_approved_email(order, pharmacist, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        actions.order_approve(order=order, actor=pharmacist)

    (message,) = mail.outbox
    shown = assert_safe_email(message, fresh(order))
    assert "approved" in shown["subject"]
    assert "approved your order" in " ".join(shown["text"].split())


def test_the_dispatched_email_has_the_tracking_reference(
    order, pharmacist, django_capture_on_commit_callbacks
):
    actions.order_approve(order=order, actor=pharmacist)

    with django_capture_on_commit_callbacks(execute=True):
        actions.order_dispatch(
            order=order, actor=pharmacist, tracking_reference="1Z999AA10123456784"
        )

    (message,) = mail.outbox
    shown = assert_safe_email(message, fresh(order))
    assert "dispatched" in shown["subject"]
    assert "1Z999AA10123456784" in shown["text"]
    assert "1Z999AA10123456784" in shown["html"]


def test_the_rejected_email_gives_the_reason_and_says_nothing_was_charged(
    order, pharmacist, django_capture_on_commit_callbacks
):
    reason = "The prescription is for a different strength & has expired."

    with django_capture_on_commit_callbacks(execute=True):
        actions.order_reject(order=order, actor=pharmacist, reason=reason)

    (message,) = mail.outbox
    shown = assert_safe_email(message, fresh(order))
    assert "could not be approved" in shown["subject"]
    # Plain text is not HTML-escaped; the HTML part is.
    assert reason in shown["text"]
    assert "different strength &amp; has expired" in shown["html"]
    for part in ("text", "html"):
        body = " ".join(shown[part].split())
        assert "Nothing has been charged" in body
        assert "hold on your card has been released" in body


def test_the_cancelled_email_gives_the_reason_and_says_nothing_was_charged(
    order, pharmacist, django_capture_on_commit_callbacks
):
    reason = "Customer phoned: found a pharmacy nearer home & cancelled."

    with django_capture_on_commit_callbacks(execute=True):
        actions.order_cancel(order=order, actor=pharmacist, reason=reason)

    (message,) = mail.outbox
    shown = assert_safe_email(message, fresh(order))
    assert "cancelled" in shown["subject"]
    assert reason in shown["text"]
    assert "nearer home &amp; cancelled" in shown["html"]
    for part in ("text", "html"):
        body = " ".join(shown[part].split())
        assert f"order {order.number} has been cancelled" in body.replace(
            "<strong>", ""
        ).replace("</strong>", "")
        assert "Nothing has been charged" in body


def test_no_cancelled_email_when_the_cancel_is_refused(
    order, pharmacist, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(OrderActionRefused),
    ):
        actions.order_cancel(order=order, actor=pharmacist, reason="  ")

    assert mail.outbox == []


def test_the_email_escapes_what_the_customer_typed(
    pack, django_capture_on_commit_callbacks
):
    attempt = new_attempt(pack)
    attempt.shipping_address["line1"] = '<a href="https://evil.example">1 Main'
    attempt.save()

    with django_capture_on_commit_callbacks(execute=True):
        placing.order_place(attempt_id=attempt.pk)

    shown = parts(mail.outbox[0])
    assert '<a href="https://evil.example">' not in shown["html"]
    assert "&lt;a href=" in shown["html"]
    # Plain text shows it as typed, not as HTML entities.
    assert '<a href="https://evil.example">1 Main' in shown["text"]


def test_no_email_is_sent_for_a_refused_action(
    order, price_editor, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(OrderActionRefused),
    ):
        actions.order_approve(order=order, actor=price_editor)

    assert mail.outbox == []


def test_a_mail_outage_does_not_undo_the_decision(
    order, pharmacist, django_capture_on_commit_callbacks, monkeypatch
):
    def smtp_down(*args, **kwargs):
        raise ConnectionRefusedError("SMTP down")

    monkeypatch.setattr(
        "django.core.mail.backends.locmem.EmailBackend.send_messages", smtp_down
    )

    with django_capture_on_commit_callbacks(execute=True):
        actions.order_approve(order=order, actor=pharmacist)

    assert fresh(order).status == OrderStatus.APPROVED


def test_every_email_renders_with_its_own_details(order):
    """Render each email straight from the templates, as Oscar does."""
    from oscar.apps.communication.utils import Dispatcher

    extra = {
        workflow.PLACE.email: {},
        workflow.APPROVE.email: {},
        workflow.DISPATCH.email: {"tracking_reference": "TRACK-42"},
        workflow.REJECT.email: {"reason": "REASON-42"},
    }
    subjects = set()
    for code, context in extra.items():
        messages = Dispatcher().get_messages(
            code,
            {
                "order": order,
                "lines": order.lines.all(),
                "status_path": notifications.order_status_path(order=order),
                "pharmacy": settings.PHARMACY,
                **context,
            },
        )
        assert messages["subject"] and messages["body"] and messages["html"], code
        assert "\n" not in messages["subject"]
        subjects.add(messages["subject"])
        for value in context.values():
            assert value in messages["body"] and value in messages["html"]
        assert messages["html"].lstrip().startswith("<!DOCTYPE html>")
        # Self-contained: nothing loaded from elsewhere.
        assert "<img" not in messages["html"] and "<link" not in messages["html"]
        assert "<script" not in messages["html"]
    assert len(subjects) == 4


def test_without_a_site_domain_the_email_still_links_the_public_base_url(
    pack, django_capture_on_commit_callbacks, settings
):
    settings.PUBLIC_BASE_URL = "https://shop.example.test"
    Site.objects.update(domain="")
    Site.objects.clear_cache()

    with django_capture_on_commit_callbacks(execute=True):
        order = place(pack)

    status = "https://shop.example.test" + notifications.order_status_path(order=order)
    shown = parts(mail.outbox[0])
    assert f"\n{status}\n" in shown["text"]
    assert f'href="{status}"' in shown["html"]
