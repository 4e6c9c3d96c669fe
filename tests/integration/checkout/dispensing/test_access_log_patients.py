"""Who saw patient X: every page that shows health data, lists included, is
recorded naming the patients it showed, and the superintendent finds those
records by the patient's name or date of birth."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from checkout.dispensing.models import (
    AccessAction,
    AccessSubject,
    HealthDataAccess,
    PatientDetails,
)
from checkout.dispensing.refills.models import TransferRequest
from checkout.orders.models import OrderEvent
from pharmacy.staff.groups import staff_groups_ensure
from pharmacy.staff.roles import PHARMACISTS, SUPERINTENDENTS
from tests.checkout_helpers import place_order
from tests.factories import UserFactory

LOG = reverse("admin:checkout_healthdataaccess_changelist")
BORN = datetime.date(1961, 2, 3)


def signed_in(role: str) -> Client:
    user = UserFactory(is_staff=True)
    user.groups.add(staff_groups_ensure()[role])
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def orders(drug, private_root):
    """Two customers' orders: Maria Lopez (born 1961-02-03), with an account,
    and a guest, Alex Rivera."""
    pack = drug.product.children.order_by("pk").first()
    customer = UserFactory(first_name="Maria", last_name="Lopez")
    maria = place_order(product=pack, owner=customer)
    PatientDetails.objects.filter(order=maria).update(
        full_name="Maria Lopez", date_of_birth=BORN
    )
    alex = place_order(product=pack)
    TransferRequest.objects.create(
        user=customer,
        drug=drug,
        strength=drug.strengths.first(),
        pharmacy_name="Corner Drugs",
        pharmacy_phone="+1 217 555 0100",
        prescription_number="RX-1",
        patient_name="Maria Lopez",
        patient_date_of_birth=BORN,
    )
    return maria, alex


def named(access: HealthDataAccess) -> set[tuple[str, datetime.date | None]]:
    return {(p.full_name, p.date_of_birth) for p in access.patients.all()}


@pytest.mark.parametrize(
    ("url", "subject"),
    [
        ("admin:checkout_patientdetails_changelist", AccessSubject.PATIENT_PROFILE),
        ("admin:order_order_changelist", AccessSubject.ORDER),
        ("admin:checkout_orderevent_changelist", AccessSubject.ORDER_HISTORY),
        ("admin:checkout_queueorder_changelist", AccessSubject.QUEUE),
    ],
)
def test_each_list_is_recorded_naming_every_patient_it_showed(url, subject, orders):
    client = signed_in(PHARMACISTS)

    assert client.get(reverse(url)).status_code == 200

    access = HealthDataAccess.objects.get()
    assert (access.subject, access.action) == (subject, AccessAction.LISTED)
    assert {"Maria Lopez", "Alex Rivera"} <= {name for name, _ in named(access)}
    assert ("Maria Lopez", BORN) in named(access)


def test_the_transfer_requests_list_is_recorded_naming_the_patient(orders):
    client = signed_in(PHARMACISTS)

    client.get(reverse("admin:refills_transferrequest_changelist"))

    access = HealthDataAccess.objects.get()
    assert access.subject == AccessSubject.TRANSFER_REQUEST
    assert named(access) == {("Maria Lopez", BORN)}


@pytest.mark.parametrize(
    "page",
    [
        lambda maria: reverse("admin:order_order_change", args=[maria.pk]),
        lambda maria: reverse(
            "admin:checkout_orderevent_change",
            args=[OrderEvent.objects.filter(order=maria).first().pk],
        ),
        lambda maria: reverse(
            "admin:refills_transferrequest_change",
            args=[TransferRequest.objects.get().pk],
        ),
        lambda maria: reverse("admin:checkout_queueorder_review", args=[maria.pk]),
    ],
    ids=["order", "order event", "transfer request", "review page"],
)
def test_each_page_of_one_record_names_its_patient(page, orders):
    maria, _ = orders
    client = signed_in(PHARMACISTS)

    assert client.get(page(maria)).status_code == 200

    access = HealthDataAccess.objects.get()
    assert access.action == AccessAction.VIEWED
    assert named(access) == {("Maria Lopez", BORN)}


def test_an_empty_list_shows_no_one_and_is_not_recorded(db):
    signed_in(PHARMACISTS).get(reverse("admin:checkout_patientdetails_changelist"))

    assert not HealthDataAccess.objects.exists()


@pytest.mark.parametrize("typed", ["lopez", "1961-02-03", "02/03/1961"])
def test_the_superintendent_finds_who_saw_a_patient_by_name_or_date_of_birth(
    typed, orders
):
    maria, alex = orders
    pharmacist = signed_in(PHARMACISTS)
    pharmacist.get(reverse("admin:checkout_queueorder_review", args=[maria.pk]))
    pharmacist.get(reverse("admin:checkout_queueorder_review", args=[alex.pk]))

    page = signed_in(SUPERINTENDENTS).get(LOG, {"q": typed})

    shown = list(page.context["cl"].result_list)
    assert [a.order_number for a in shown] == [maria.number]
    assert "Maria Lopez, born 1961-02-03" in page.content.decode()


def test_a_pharmacist_cannot_read_who_saw_a_patient(orders):
    assert signed_in(PHARMACISTS).get(LOG, {"q": "lopez"}).status_code == 403
