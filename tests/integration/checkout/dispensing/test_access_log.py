"""The health data access log: an append-only record of who saw, changed or was
refused whose health data, listed only to superusers and the Superintendent."""

import pytest
from django.contrib import admin as django_admin
from django.contrib.admin import ModelAdmin
from django.db import transaction
from django.forms import modelform_factory
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from checkout.dispensing.access_log import record_access
from checkout.dispensing.admin.access_log_admin import RecordsHealthDataViews
from checkout.dispensing.models import (
    AccessAction,
    AccessSubject,
    HealthDataAccess,
    PatientDetails,
    Prescription,
)
from pharmacy.staff.groups import staff_groups_ensure
from pharmacy.staff.roles import PHARMACISTS, REVIEW_MODERATORS, SUPERINTENDENTS
from tests.checkout_helpers import place_order
from tests.factories import UserFactory

LOG = reverse("admin:checkout_healthdataaccess_changelist")


def staff_in(role: str):
    user = UserFactory(is_staff=True)
    user.groups.add(staff_groups_ensure()[role])
    return user


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def pharmacist(db):
    return staff_in(PHARMACISTS)


@pytest.fixture
def superintendent(db):
    return staff_in(SUPERINTENDENTS)


@pytest.fixture
def moderator(db):
    return staff_in(REVIEW_MODERATORS)


@pytest.fixture
def order(drug, private_root):
    return place_order(product=drug.product.children.order_by("pk").first())


@pytest.fixture
def entry(pharmacist, order):
    record_access(
        user=pharmacist,
        order=order,
        subject=AccessSubject.ORDER_REVIEW,
        action=AccessAction.VIEWED,
    )
    return HealthDataAccess.objects.get()


# -- recording ---------------------------------------------------------------


def test_record_access_keeps_who_when_which_order_and_what(pharmacist, order, rf):
    request = rf.get("/admin/checkout/prescription/7/file/?download=1&name=x")
    before = timezone.now()

    record_access(
        user=pharmacist,
        order=order,
        subject=AccessSubject.PRESCRIPTION_PAGE,
        action=AccessAction.VIEWED,
        detail="page 2",
        request=request,
    )

    entry = HealthDataAccess.objects.get()
    assert entry.user == pharmacist
    assert entry.username == pharmacist.username
    assert entry.order == order
    assert entry.order_number == order.number
    assert entry.subject == AccessSubject.PRESCRIPTION_PAGE
    assert entry.action == AccessAction.VIEWED
    assert entry.detail == "page 2"
    assert entry.path == "/admin/checkout/prescription/7/file/"
    assert entry.created_at >= before


def test_order_number_survives_the_order(entry, order):
    # Orders are not deleted in this shop, but a record must outlive one.
    order.delete()

    entry.refresh_from_db()
    assert entry.order is None
    assert entry.order_number == order.number


def test_an_anonymous_visitor_is_not_recorded(db):
    from django.contrib.auth.models import AnonymousUser

    record_access(
        user=AnonymousUser(),
        order=None,
        subject=AccessSubject.ORDER_REVIEW,
        action=AccessAction.DENIED,
    )

    assert not HealthDataAccess.objects.exists()


# -- append-only ---------------------------------------------------------------


def test_a_record_cannot_be_saved_again(entry):
    entry.detail = "tampered"

    with pytest.raises(PermissionError):
        entry.save()

    entry.refresh_from_db()
    assert entry.detail == ""


def test_a_record_cannot_be_deleted(entry):
    with pytest.raises(PermissionError):
        entry.delete()

    assert HealthDataAccess.objects.filter(pk=entry.pk).exists()


def test_records_cannot_be_updated_or_deleted_in_bulk(entry):
    with pytest.raises(PermissionError):
        HealthDataAccess.objects.filter(pk=entry.pk).update(detail="tampered")
    with pytest.raises(PermissionError):
        HealthDataAccess.objects.all().delete()
    entry.detail = "tampered"
    with pytest.raises(PermissionError), transaction.atomic():
        HealthDataAccess.objects.bulk_update([entry], ["detail"])

    assert HealthDataAccess.objects.get().detail == ""


def test_a_staff_member_who_saw_health_data_cannot_be_deleted(entry, pharmacist):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        pharmacist.delete()


# -- the admin -----------------------------------------------------------------


def test_superintendent_lists_the_records(superintendent, entry, order):
    response = signed_in(superintendent).get(LOG)

    assert response.status_code == 200
    page = response.content.decode()
    assert order.number in page
    assert entry.username in page


def test_superuser_lists_the_records(entry, db):
    admin_user = UserFactory(is_staff=True, is_superuser=True)

    assert signed_in(admin_user).get(LOG).status_code == 200


@pytest.mark.parametrize("role", [PHARMACISTS, REVIEW_MODERATORS])
def test_other_staff_cannot_list_the_records(role, entry):
    response = signed_in(staff_in(role)).get(LOG)

    assert response.status_code == 403
    assert entry.username.encode() not in response.content


def test_the_log_filters_by_user_order_subject_action_and_date(
    superintendent, pharmacist, order, drug
):
    other_order = place_order(product=drug.product.children.order_by("pk").first())
    other = staff_in(PHARMACISTS)
    record_access(
        user=pharmacist,
        order=order,
        subject=AccessSubject.PRESCRIPTION_FILE,
        action=AccessAction.VIEWED,
    )
    record_access(
        user=other,
        order=other_order,
        subject=AccessSubject.PATIENT_PROFILE,
        action=AccessAction.CHANGED,
    )
    client = signed_in(superintendent)
    today = timezone.localdate()

    def shown(query: dict) -> set[str]:
        response = client.get(LOG, query)
        assert response.status_code == 200
        return {row.order_number for row in response.context["cl"].result_list}

    assert shown({}) == {order.number, other_order.number}
    assert shown({"user__id__exact": pharmacist.pk}) == {order.number}
    assert shown({"q": other_order.number}) == {other_order.number}
    assert shown({"subject__exact": "patient_profile"}) == {other_order.number}
    assert shown({"action__exact": "viewed"}) == {order.number}
    day = {
        "created_at__year": today.year,
        "created_at__month": today.month,
        "created_at__day": today.day,
    }
    assert shown(day) == {order.number, other_order.number}
    assert shown({**day, "created_at__year": today.year - 1}) == set()


def test_nobody_adds_changes_or_deletes_a_record_in_the_admin(entry, db):
    admin_user = UserFactory(is_staff=True, is_superuser=True)
    client = signed_in(admin_user)
    change = reverse("admin:checkout_healthdataaccess_change", args=[entry.pk])

    assert client.get(reverse("admin:checkout_healthdataaccess_add")).status_code == 403
    assert client.post(change, {"detail": "tampered"}).status_code == 403
    delete = reverse("admin:checkout_healthdataaccess_delete", args=[entry.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    # The list offers no bulk actions (no "delete selected").
    listing = client.get(LOG)
    assert listing.context["action_form"] is None
    # The record page is read-only: no save button.
    page = client.get(change)
    assert page.status_code == 200
    assert b'name="_save"' not in page.content

    entry.refresh_from_db()
    assert entry.detail == ""


# -- refusals ------------------------------------------------------------------


def test_price_editor_refused_a_prescription_file_is_recorded_without_patient_data(
    price_editor, order
):
    prescription = Prescription.objects.get(order=order)
    patient = PatientDetails.objects.get(order=order)
    url = reverse("admin:checkout_prescription_file", args=[prescription.pk])

    response = signed_in(price_editor).get(url + "?q=1")

    assert response.status_code == 404
    entry = HealthDataAccess.objects.get()
    assert entry.user == price_editor
    assert entry.action == AccessAction.DENIED
    assert entry.subject == AccessSubject.PRESCRIPTION_FILE
    assert entry.path == url
    assert entry.order is None
    assert entry.order_number == ""
    assert entry.detail == "HTTP 404"
    for value in (patient.full_name, str(patient.date_of_birth), order.number):
        assert value not in str(entry.__dict__)


def test_moderator_refused_the_queue_and_patient_pages_is_recorded(moderator, order):
    patient = PatientDetails.objects.get(order=order)
    client = signed_in(moderator)

    statuses = [
        client.get(reverse("admin:checkout_prescription_changelist")).status_code,
        client.get(
            reverse("admin:checkout_patientdetails_change", args=[patient.pk])
        ).status_code,
    ]

    assert all(status in (403, 404) for status in statuses)
    entries = list(HealthDataAccess.objects.order_by("id"))
    assert [(e.action, e.subject) for e in entries] == [
        (AccessAction.DENIED, AccessSubject.ORDER_REVIEW),
        (AccessAction.DENIED, AccessSubject.PATIENT_PROFILE),
    ]
    assert all(e.order is None and e.user == moderator for e in entries)
    assert patient.full_name not in str([e.__dict__ for e in entries])


def test_refusals_elsewhere_and_to_visitors_are_not_recorded(price_editor, order):
    prescription = Prescription.objects.get(order=order)
    file_url = reverse("admin:checkout_prescription_file", args=[prescription.pk])

    Client().get(file_url)  # anonymous
    signed_in(UserFactory()).get(file_url)  # a customer, not staff
    signed_in(price_editor).get("/admin/catalogue/drug/999999/change/")
    signed_in(price_editor).get("/no-such-page/")

    assert not HealthDataAccess.objects.exists()


def test_refused_access_log_page_is_not_a_health_data_refusal(pharmacist, db):
    assert signed_in(pharmacist).get(LOG).status_code == 403

    assert not HealthDataAccess.objects.exists()


# -- pages of one order's health data -----------------------------------------


class RecordedPatientAdmin(RecordsHealthDataViews, ModelAdmin):
    """Any admin of one order's health data, with the recording mixin."""

    access_subject = AccessSubject.PATIENT_PROFILE
    fields = ["allergies"]


def as_user(request, user):
    request.user = user
    request._messages = []  # the admin's change page may add messages
    return request


def test_an_admin_page_with_the_mixin_records_each_view(pharmacist, order, rf):
    patient = PatientDetails.objects.get(order=order)
    model_admin = RecordedPatientAdmin(PatientDetails, django_admin.site)
    url = f"/admin/checkout/patientdetails/{patient.pk}/change/"

    response = model_admin.change_view(
        as_user(rf.get(url + "?_changelist_filters=x"), pharmacist), str(patient.pk)
    )

    assert response.status_code == 200
    entry = HealthDataAccess.objects.get()
    assert (entry.user, entry.order, entry.subject, entry.action, entry.path) == (
        pharmacist,
        order,
        AccessSubject.PATIENT_PROFILE,
        AccessAction.VIEWED,
        url,
    )


def test_a_save_through_the_mixin_names_the_fields_not_their_values(
    pharmacist, order, rf
):
    patient = PatientDetails.objects.get(order=order)
    form = modelform_factory(PatientDetails, fields=["allergies"])(
        {"allergies": "Penicillin"}, instance=patient
    )
    assert form.is_valid()
    request = as_user(rf.post("/admin/checkout/patientdetails/1/change/"), pharmacist)

    RecordedPatientAdmin(PatientDetails, django_admin.site).save_model(
        request, form.save(commit=False), form, change=True
    )

    entry = HealthDataAccess.objects.get()
    assert (entry.order, entry.subject, entry.action, entry.detail) == (
        order,
        AccessSubject.PATIENT_PROFILE,
        AccessAction.CHANGED,
        "allergies",
    )
    assert "Penicillin" not in str(entry.__dict__)
    patient.refresh_from_db()
    assert patient.allergies == "Penicillin"
