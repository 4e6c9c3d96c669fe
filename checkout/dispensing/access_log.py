"""The health data access log: who viewed, changed or was refused whose health
data, and when. A database record (models.HealthDataAccess), never a
log line.

Pages and files that show health data call ``record_access`` themselves for
what they show or change. ``DeniedAccessMiddleware`` adds a ``denied`` record
for any 403 or 404 a signed-in staff member gets from a health data URL that
did not record one itself, so a refusal is never silent.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.urls import NoReverseMatch, reverse

from checkout.dispensing.models import (
    AccessAction,
    AccessedPatient,
    AccessSubject,
    HealthDataAccess,
    PatientDetails,
)

__all__ = [
    "AccessAction",
    "AccessSubject",
    "DeniedAccessMiddleware",
    "PatientShown",
    "health_data_view",
    "patient_shown",
    "record_access",
]

DETAIL_MAX = HealthDataAccess._meta.get_field("detail").max_length
PATH_MAX = HealthDataAccess._meta.get_field("path").max_length
# Set on a request once a view has recorded what it did, so the middleware
# does not add a second record for the same request.
_RECORDED = "_health_data_access_recorded"
# Set on a view by health_data_view: which subject a refusal there is about.
_SUBJECT_ATTR = "health_data_subject"
# Admin URLs under the checkout app that show no health data.
_NOT_HEALTH_DATA_URLS = {"checkout_healthdataaccess_changelist"}


@dataclass(frozen=True)
class PatientShown:
    """A patient as a page showed them, for the log's patient column."""

    full_name: str
    date_of_birth: datetime.date | None
    order_number: str = ""


def patient_shown(patient: PatientDetails | None) -> PatientShown | None:
    """The patient of one order's details, as pages show them."""
    if patient is None:
        return None
    return PatientShown(
        full_name=patient.full_name,
        date_of_birth=patient.date_of_birth,
        order_number=patient.order.number if patient.order_id else "",
    )


def _order_patient(order) -> list[PatientShown]:
    patient = PatientDetails.objects.filter(order=order).select_related("order")
    return [patient_shown(p) for p in patient[:1]]


def record_access(
    *,
    user,
    order,
    subject: AccessSubject,
    action: AccessAction,
    detail: str = "",
    request: HttpRequest | None = None,
    patients: Iterable[PatientShown | None] | None = None,
) -> None:
    """Append one access record.

    ``user`` is the signed-in staff member (an anonymous visitor is not
    recorded: the admin sends them to its login page). ``order`` is the Order
    the health data belongs to, or None when it is unknown (a refusal before
    the order was looked up). ``detail`` is a short note such as "page 2" or
    "allergies": it must never hold health data itself. ``request``, when
    given, supplies the path (without its query string) and marks the request
    as recorded so the denial middleware does not record it again.
    ``patients`` are the patients the page showed (a list names each one);
    left out, they are the order's patient.
    """
    if user is None or not user.is_authenticated:
        return
    if patients is None:
        patients = _order_patient(order) if order is not None else []
    path = request.path[:PATH_MAX] if request is not None else ""
    access = HealthDataAccess.objects.create(
        user=user,
        username=user.get_username(),
        order=order,
        order_number=order.number if order is not None else "",
        subject=AccessSubject(subject),
        action=AccessAction(action),
        detail=detail[:DETAIL_MAX],
        path=path,
    )
    AccessedPatient.objects.bulk_create(
        AccessedPatient(
            access=access,
            full_name=p.full_name,
            date_of_birth=p.date_of_birth,
            order_number=p.order_number,
        )
        for p in dict.fromkeys(p for p in patients if p is not None)
    )
    if request is not None:
        setattr(request, _RECORDED, True)


def date_typed(text: str) -> datetime.date | None:
    """A date as staff type one (2026-03-01 or 03/01/2026), else None."""
    for form in ("%Y-%m-%d", "%m/%d/%Y"):
        try:
            return datetime.datetime.strptime(text.strip(), form).date()
        except ValueError:
            continue
    return None


def health_data_view(subject: AccessSubject) -> Callable:
    """Mark a view as showing health data of ``subject``: a 403 or 404 that a
    staff member gets from it is recorded as denied, with that subject."""

    def mark(view):
        setattr(view, _SUBJECT_ATTR, AccessSubject(subject))
        return view

    return mark


def _admin_prefix(app_label: str) -> str | None:
    try:
        return reverse("admin:app_list", kwargs={"app_label": app_label})
    except NoReverseMatch:
        return None


def denied_subject(request: HttpRequest) -> AccessSubject | None:
    """Which health data a refused request was after, or None when the URL
    shows none. Views marked with health_data_view say so themselves; any
    other page of the checkout app's admin counts as an order review page
    (the patient's own admin as the patient profile)."""
    match = getattr(request, "resolver_match", None)
    if match is not None:
        subject = getattr(match.func, _SUBJECT_ATTR, None)
        if subject is not None:
            return subject
        if match.url_name in _NOT_HEALTH_DATA_URLS:
            return None
    erx_prefix = _admin_prefix("eprescribing")
    if erx_prefix is not None and request.path.startswith(erx_prefix):
        if request.path.startswith(erx_prefix + "erxmessage/"):
            return AccessSubject.ERX_MESSAGE
        return AccessSubject.EPRESCRIPTION
    prefix = _admin_prefix("checkout")
    if prefix is None or not request.path.startswith(prefix) or request.path == prefix:
        return None
    if request.path.startswith(prefix + "patientdetails/"):
        return AccessSubject.PATIENT_PROFILE
    if request.path.startswith(prefix + "prescriptionrecord/"):
        return AccessSubject.PRESCRIPTION_RECORD
    if request.path.startswith(prefix + "healthdataaccess/"):
        return None
    return AccessSubject.ORDER_REVIEW


class DeniedAccessMiddleware:
    """Records a 403 or 404 on a health data URL for a signed-in staff member.

    The record names the subject and the status, never the order (the request
    was refused before it was looked up), so it tells the person refused
    nothing they did not type themselves.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code not in (403, 404) or getattr(request, _RECORDED, False):
            return response
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.is_staff:
            return response
        subject = denied_subject(request)
        if subject is not None:
            record_access(
                user=user,
                order=None,
                subject=subject,
                action=AccessAction.DENIED,
                detail=f"HTTP {response.status_code}",
                request=request,
            )
        return response
