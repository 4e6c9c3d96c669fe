"""The pharmacist's e-prescription pages: the unmatched list, matching by
hand, the raw messages; pharmacists only, and each view is in the access log."""

import pytest
from django.core import mail
from django.urls import reverse

from checkout.dispensing.eprescribing.models import EPrescription, ErxMessage
from checkout.dispensing.models import AccessAction, AccessSubject, HealthDataAccess
from checkout.dispensing.refills import rules
from pharmacy.staff.groups import staff_groups_ensure
from pharmacy.staff.roles import PRICE_EDITORS
from tests import erx
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

BORN_OTHER_DAY = {"Body/NewRx/Patient/HumanPatient/DateOfBirth/Date": "1980-05-18"}


@pytest.fixture
def unmatched(client, customer):
    erx.post(client, erx.new_rx(values=BORN_OTHER_DAY))
    return EPrescription.objects.get()


def test_the_list_shows_unmatched_first_and_is_logged(client, unmatched, pharmacist):
    client.force_login(pharmacist)
    response = client.get(reverse("admin:eprescribing_eprescription_changelist"))

    assert response.status_code == 200
    assert b"Waiting to be matched to a customer" in response.content
    access = HealthDataAccess.objects.get()
    assert (access.subject, access.action, access.detail) == (
        AccessSubject.EPRESCRIPTION,
        AccessAction.VIEWED,
        "list",
    )


def test_a_pharmacist_matches_one_by_hand_and_the_customer_is_emailed(
    client, unmatched, customer, pharmacist, django_capture_on_commit_callbacks
):
    client.force_login(pharmacist)
    url = reverse("admin:eprescribing_eprescription_change", args=[unmatched.pk])
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"customer_email": customer.email})

    assert response.status_code == 302
    unmatched.refresh_from_db()
    assert (unmatched.customer, unmatched.matched_by) == (customer, pharmacist)
    assert mail.outbox[-1].to == [customer.email]
    record = unmatched.prescription.record
    assert rules.record_of(user=customer, pk=record.pk) == record
    assert list(
        HealthDataAccess.objects.order_by("id").values_list("action", "detail")
    ) == [
        ("viewed", f"eprescription {unmatched.pk}"),
        ("changed", f"eprescription {unmatched.pk} matched"),
    ]


def test_an_unknown_email_is_refused_and_nothing_changes(client, unmatched, pharmacist):
    client.force_login(pharmacist)
    url = reverse("admin:eprescribing_eprescription_change", args=[unmatched.pk])
    response = client.post(url, {"customer_email": "nobody@example.com"})

    assert response.status_code == 200
    assert b"No customer account has that email." in response.content
    unmatched.refresh_from_db()
    assert unmatched.status == EPrescription.Status.UNMATCHED


def test_the_raw_message_is_shown_to_a_pharmacist_and_logged(
    client, unmatched, pharmacist
):
    message = ErxMessage.objects.get()
    client.force_login(pharmacist)
    response = client.get(
        reverse("admin:eprescribing_erxmessage_change", args=[message.pk])
    )

    assert response.status_code == 200
    assert b"Rivera" in response.content
    access = HealthDataAccess.objects.get()
    assert (access.subject, access.detail) == (
        AccessSubject.ERX_MESSAGE,
        f"erxmessage {message.pk}",
    )


@pytest.mark.parametrize(
    "name", ["eprescribing_eprescription_change", "eprescribing_erxmessage_change"]
)
def test_other_staff_get_a_404_and_the_refusal_is_logged(client, unmatched, name):
    editor = UserFactory(username="prices", is_staff=True)
    editor.groups.add(staff_groups_ensure()[PRICE_EDITORS])
    client.force_login(editor)
    pk = unmatched.pk if "eprescription_" in name else ErxMessage.objects.get().pk

    response = client.get(reverse(f"admin:{name}", args=[pk]))

    assert response.status_code in (403, 404)
    assert b"Rivera" not in response.content
    denied = HealthDataAccess.objects.get()
    assert denied.action == AccessAction.DENIED
    assert denied.subject == (
        AccessSubject.EPRESCRIPTION
        if "eprescription_" in name
        else AccessSubject.ERX_MESSAGE
    )
