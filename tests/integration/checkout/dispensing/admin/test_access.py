"""Only the Pharmacists group sees the workstation. The price editor, the
review moderator and other staff get a 404 (or the sign-in page) for every
page, and nothing they send changes an order."""

import pytest
from django.urls import reverse

from checkout.dispensing.models import PatientDetails, Prescription
from checkout.orders.workflow import OrderStatus
from pharmacy.staff.roles import Perm
from tests.checkout_helpers import pharmacist_checks_record
from tests.integration.checkout.dispensing.admin.conftest import (
    QUEUE,
    action_url,
    html,
    logged_in,
    order_for,
    reload,
    review_url,
    user_with,
)


def pages(order) -> list[str]:
    prescription = Prescription.objects.get(order=order)
    return [
        QUEUE,
        review_url(order),
        action_url(order, "approve"),
        action_url(order, "hold"),
        action_url(order, "dispatch"),
        reverse("admin:checkout_prescription_file", args=[prescription.pk]),
        reverse("admin:checkout_prescription_changelist"),
        reverse("admin:checkout_patientdetails_changelist"),
    ]


def test_outsiders_see_none_of_the_workstation(outsider, rx_drug):
    order = order_for(rx_drug)
    client = logged_in(outsider)

    for url in pages(order):
        response = client.get(url)
        # Signed out: the sign-in page or nothing; signed in: 403 or 404.
        allowed = (302, 404) if outsider is None else (403, 404)
        assert response.status_code in allowed, url
        if response.status_code == 302:
            assert "/admin/login/" in response["Location"]
        assert "Alex Rivera" not in html(response)


def test_outsiders_cannot_decide_or_edit(outsider, rx_drug):
    order = order_for(rx_drug)
    pharmacist_checks_record(order=order)
    client = logged_in(outsider)

    client.post(action_url(order, "approve"))
    client.post(action_url(order, "reject"), {"reason": "x"})
    client.post(
        review_url(order),
        {"form": "profile", "profile-allergies": "changed"},
    )

    assert reload(order).status == OrderStatus.AWAITING_REVIEW
    assert PatientDetails.objects.get(order=order).allergies == ""


def test_the_admin_index_lists_the_queue_only_for_pharmacists(
    pharmacist_client, outsider, rx_drug
):
    assert QUEUE in html(pharmacist_client.get("/admin/"))
    if outsider is not None:
        assert QUEUE not in html(logged_in(outsider).get("/admin/"))


def test_a_reviewer_without_the_dispatch_permission_is_not_offered_dispatch(
    rx_drug,
):
    reviewer = user_with("review_prescription")
    assert not reviewer.has_perm(Perm.DISPATCH_ORDERS)
    order = order_for(rx_drug)
    pharmacist_checks_record(order=order)
    client = logged_in(reviewer)
    client.post(action_url(order, "approve"))

    page = html(client.get(review_url(order)))
    response = client.post(
        action_url(order, "dispatch"), {"carrier": "USPS", "tracking_reference": "1"}
    )

    assert reload(order).status == OrderStatus.APPROVED
    assert action_url(order, "dispatch") not in page
    assert response.status_code == 403


def test_staff_with_only_the_dispatch_permission_see_nothing(rx_drug):
    order = order_for(rx_drug)
    client = logged_in(user_with("dispatch_order"))

    assert client.get(review_url(order)).status_code == 404
    assert client.get(QUEUE).status_code in (403, 404)


@pytest.mark.parametrize("who", ["pharmacist", "superuser"])
def test_oscar_order_admin_stays_read_only(rx_drug, who, pharmacist):
    from tests.factories import UserFactory

    user = (
        pharmacist
        if who == "pharmacist"
        else UserFactory(is_staff=True, is_superuser=True)
    )
    order = order_for(rx_drug)
    client = logged_in(user)

    client.post(
        reverse("admin:order_order_change", args=[order.pk]),
        {"status": OrderStatus.DISPATCHED},
    )

    assert reload(order).status == OrderStatus.AWAITING_REVIEW


def accesses(order) -> list[tuple[str, str, str]]:
    from checkout.dispensing.models import HealthDataAccess

    return list(
        HealthDataAccess.objects.filter(order_number=order.number)
        .order_by("pk")
        .values_list("subject", "action", "detail")
    )


def test_viewing_and_changing_the_review_page_is_in_the_access_log(
    pharmacist_client, rx_drug
):
    from tests.integration.checkout.dispensing.admin.test_review import record_post

    order = order_for(rx_drug)

    pharmacist_client.get(review_url(order))
    pharmacist_client.post(
        review_url(order),
        {
            "form": "profile",
            "profile-allergies": "Latex",
            "profile-medical_conditions": "",
            "profile-current_medicines": "",
        },
    )
    pharmacist_client.post(review_url(order), record_post(order))

    assert accesses(order) == [
        ("order_review", "viewed", ""),
        ("patient_profile", "changed", "allergies"),
        ("prescription_record", "changed", "record"),
    ]


def test_an_outsiders_attempt_on_the_review_page_is_logged_without_data(
    rx_drug,
):
    from checkout.dispensing.models import HealthDataAccess
    from pharmacy.staff.roles import PRICE_EDITORS
    from tests.integration.checkout.dispensing.admin.conftest import staff_in

    order = order_for(rx_drug)
    editor = staff_in(PRICE_EDITORS)

    logged_in(editor).get(review_url(order))

    denied = HealthDataAccess.objects.get(user=editor)
    assert (denied.action, denied.subject, denied.order_number) == (
        "denied",
        "order_review",
        "",
    )


def test_opening_a_patient_in_the_patients_admin_is_in_the_access_log(
    pharmacist_client, rx_drug
):
    order = order_for(rx_drug)
    patient = PatientDetails.objects.get(order=order)

    response = pharmacist_client.get(
        reverse("admin:checkout_patientdetails_change", args=[patient.pk])
    )

    assert response.status_code == 200
    assert accesses(order) == [("patient_profile", "viewed", "")]
