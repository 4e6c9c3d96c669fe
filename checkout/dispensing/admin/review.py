"""One page per order with everything the clinical check needs: the patient
and their profile, the prescription as given, the pharmacist's prescription
record, clinical flags, counselling, the history, and the actions.

The view parses forms and calls one service per form (checkout.pharmacist,
checkout.dispensing.records); decisions go through actions.py.
"""

from django.contrib import messages
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from oscar.apps.order.models import Line, Order

from catalog.models import ProductAttributeValue
from checkout.dispensing import pharmacist, records
from checkout.dispensing.access_log import AccessAction, AccessSubject, record_access
from checkout.dispensing.admin import prescription_files
from checkout.dispensing.admin.actions import decisions_offered, refusals_before
from checkout.dispensing.admin.forms import (
    AcknowledgeForm,
    CounsellingForm,
    PatientProfileForm,
    PrescriptionRecordForm,
)
from checkout.dispensing.admin.summaries import authorisation_summary
from checkout.dispensing.models import (
    CounsellingRecord,
    FlagAcknowledgement,
    Prescription,
)
from checkout.dispensing.refills import rules as refill_rules
from checkout.dispensing.stock.models import Fill, StockReturn
from checkout.orders import workflow

FORMS = ("record", "profile", "acknowledge", "counselling")


def _order(pk: int) -> Order:
    lines = Line.objects.select_related("product__parent__drug").prefetch_related(
        Prefetch(
            "product__attribute_values",
            queryset=ProductAttributeValue.objects.select_related("attribute"),
        ),
        "product__parent__drug__cautions",
    )
    return get_object_or_404(
        Order.objects.select_related("patient", "user", "payment").prefetch_related(
            Prefetch("lines", queryset=lines.order_by("pk")),
        ),
        pk=pk,
    )


def prescription_images(prescription: Prescription | None) -> list[dict]:
    """The images that show the prescription: the uploaded image, or each page
    of a PDF rendered on the server; never the PDF itself."""
    if prescription is None:
        return []
    urls = prescription_files.image_urls(prescription)
    return [
        {
            "src": url,
            "alt": "The uploaded prescription"
            if len(urls) == 1
            else f"The uploaded prescription, page {n} of {len(urls)}",
        }
        for n, url in enumerate(urls, start=1)
    ]


def review_view(model_admin, request, pk: int):
    order = _order(pk)
    patient = pharmacist.patient_of(order)
    prescription = Prescription.objects.filter(order=order).first()
    record = records.record_for(order=order)
    which = request.POST.get("form") if request.method == "POST" else None

    record_form = PrescriptionRecordForm(
        request.POST if which == "record" else None,
        instance=record,
        prefix="record",
        initial=_record_initial(prescription) if record is None else None,
    )
    profile_form = PatientProfileForm.for_patient(
        request.POST if which == "profile" else None, patient=patient, prefix="profile"
    )
    counselling_form = CounsellingForm(
        request.POST if which == "counselling" else None, prefix="counselling"
    )
    flags = pharmacist.order_flags(order=order, record=record)
    acknowledge_form = AcknowledgeForm(
        request.POST if which == "acknowledge" else None,
        prefix="ack",
        flags=pharmacist.unacknowledged_flags(order=order, flags=flags),
    )

    if which in FORMS:
        saved = _save(
            which,
            request=request,
            order=order,
            patient=patient,
            prescription=prescription,
            forms={
                "record": record_form,
                "profile": profile_form,
                "counselling": counselling_form,
                "acknowledge": acknowledge_form,
            },
        )
        if saved:
            return redirect("admin:checkout_queueorder_review", order.pk)

    acknowledged = {
        a.code: a
        for a in FlagAcknowledgement.objects.filter(order=order).select_related(
            "acknowledged_by"
        )
    }
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": f"Order {order.number}",
        "order": order,
        "patient": patient,
        "age": pharmacist.patient_age(patient),
        "counselling": pharmacist.counselling_request(patient),
        "counselling_records": CounsellingRecord.objects.filter(
            order=order
        ).select_related("recorded_by"),
        "prescription": prescription,
        "prescription_images": prescription_images(prescription),
        "record": record,
        "refill_rx": refill_rules.rx_number(record=record)
        if prescription and prescription.refill_of_id
        else None,
        "fills": refill_rules.fills(record=record) if record else [],
        "record_form": record_form,
        "profile_form": profile_form,
        "counselling_form": counselling_form,
        "acknowledge_form": acknowledge_form,
        "acknowledged": [
            {"flag": flag, "acknowledgement": acknowledged[flag.code]}
            for flag in flags
            if flag.code in acknowledged
        ],
        "flags": flags,
        "days_of_supply": pharmacist.order_days_of_supply(order=order, record=record),
        "ordered": records.ordered_drugs(order=order),
        "blocked_decisions": _blocked_decisions(order),
        "actions": decisions_offered(order=order, request=request),
        "card": authorisation_summary(order),
        "fill_returned": StockReturn.objects.filter(
            fill_line__fill__order=order
        ).exists(),
        "fill": Fill.objects.filter(order=order)
        .select_related("filled_by")
        .prefetch_related("lines__lot", "lines__returns")
        .first(),
        "events": order.events.select_related("actor"),
        "media": model_admin.media + record_form.media,
        # The prescription pane keeps beside the form: room for both.
        "is_nav_sidebar_enabled": False,
    }
    # The page shows the patient, their profile and the prescription record.
    record_access(
        user=request.user,
        order=order,
        subject=AccessSubject.ORDER_REVIEW,
        action=AccessAction.VIEWED,
        request=request,
    )
    request.current_app = model_admin.admin_site.name
    return TemplateResponse(request, "admin/checkout/order_review.html", context)


def _blocked_decisions(order) -> list[dict]:
    """What stops approval or dispatch, when the order is at that step."""
    blocked = []
    for action, decision in (
        (workflow.APPROVE, "Approval"),
        (workflow.DISPATCH, "Dispatch"),
    ):
        if action.may_start(status=order.status) and (
            reasons := refusals_before(action=action, order=order)
        ):
            blocked.append({"decision": decision, "reasons": reasons})
    return blocked


def _record_initial(prescription: Prescription | None) -> dict:
    # The prescriber the customer named is the likeliest prescriber.
    if prescription is None:
        return {}
    return {
        "prescriber_name": prescription.prescriber_name,
        "prescriber_npi": prescription.prescriber_npi,
    }


def _save(which, *, request, order, patient, prescription, forms) -> bool:
    """Apply one submitted form; True when saved (the page redirects)."""
    form = forms[which]
    if not form.is_valid():
        messages.error(request, "Nothing was saved: please correct the errors below.")
        return False
    actor = request.user
    try:
        if which == "record":
            if prescription is None:
                messages.error(request, "This order has no prescription to record.")
                return False
            data = dict(form.cleaned_data)
            # A refill's record is the prescription on file it is filled from.
            if prescription.refill_of_id:
                prescription = prescription.refill_of.prescription
            saved = records.record_save(
                prescription=prescription, actor=actor, data=data, order=order
            )
            _changed(request, order, AccessSubject.PRESCRIPTION_RECORD, "record")
            messages.success(
                request, f"Prescription record saved.{records.dose_words(saved)}"
            )
        elif which == "profile":
            if patient is None:
                messages.error(request, "This order has no patient details.")
                return False
            changed = pharmacist.patient_profile_update(
                patient=patient, actor=actor, data=form.cleaned_data
            )
            if changed:
                _changed(
                    request, order, AccessSubject.PATIENT_PROFILE, ", ".join(changed)
                )
            messages.success(
                request,
                f"Patient profile saved ({', '.join(changed)} changed)."
                if changed
                else "The patient profile had no changes.",
            )
        elif which == "counselling":
            pharmacist.counselling_record(
                order=order,
                actor=actor,
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["note"],
            )
            _changed(request, order, AccessSubject.ORDER_REVIEW, "counselling")
            messages.success(request, "Counselling recorded.")
        elif which == "acknowledge":
            notes = form.notes()
            if not notes:
                messages.warning(request, "No flag is open; nothing to acknowledge.")
                return True
            pharmacist.flags_acknowledge(order=order, actor=actor, notes=notes)
            titles = "; ".join(flag.title for flag, _ in notes)
            _changed(request, order, AccessSubject.ORDER_REVIEW, "flags acknowledged")
            messages.success(
                request,
                f"Flag{'s' if len(notes) > 1 else ''} acknowledged: {titles}.",
            )
    except (pharmacist.NotAllowed, records.DoseUnclear) as exc:
        messages.error(request, str(exc))
        return False
    return True


def _changed(request, order, subject: AccessSubject, detail: str) -> None:
    # ``detail`` names what changed (field names), never the values.
    record_access(
        user=request.user,
        order=order,
        subject=subject,
        action=AccessAction.CHANGED,
        detail=detail,
        request=request,
    )
