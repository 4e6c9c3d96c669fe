"""Filling an approved order: for each line the pharmacist picks a lot (the
first-expiring lot that lasts the supply is suggested) or scans the pack's
GS1 code; the workflow's FILL action decides (checkout/orders/actions.py).
Then the label and the paperwork, as PDFs."""

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from oscar.apps.order.models import Order

from checkout.dispensing.access_log import AccessAction, AccessSubject, record_access
from checkout.dispensing.labels import documents
from checkout.dispensing.stock import filling, gs1, returns
from checkout.dispensing.stock.models import Fill
from checkout.orders import actions, workflow


class FillForm(forms.Form):
    """One lot choice and one scan box per order line."""

    def __init__(self, *args, rows: list[filling.LineToFill], **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            pk = row.line.pk
            self.fields[f"lot-{pk}"] = forms.TypedChoiceField(
                label=f"Lot for {row.line.title} × {row.line.quantity}",
                choices=[("", "Scan instead")]
                + [
                    (
                        lot.pk,
                        f"{lot.lot_number}: expires {lot.expires_on:%Y-%m-%d}, "
                        f"{lot.quantity_left} pack(s) left",
                    )
                    for lot in row.lots
                ],
                coerce=int,
                required=False,
                initial=row.suggested.pk if row.suggested else "",
            )
            self.fields[f"scan-{pk}"] = forms.CharField(
                label=f"Or scan the pack's code for {row.line.title}",
                required=False,
                max_length=200,
                help_text="A scan replaces the lot chosen above.",
            )

    def picks(self) -> dict[int, int]:
        """{line id: lot id}; a scan that names no received lot is a form error."""
        picks = {}
        for row in self.rows:
            pk = row.line.pk
            scan = self.cleaned_data.get(f"scan-{pk}", "").strip()
            if scan:
                try:
                    picks[pk] = filling.lot_for_scan(text=scan).pk
                except gs1.ScanError as exc:
                    self.add_error(f"scan-{pk}", str(exc))
            elif self.cleaned_data.get(f"lot-{pk}"):
                picks[pk] = self.cleaned_data[f"lot-{pk}"]
        return picks


def fill_view(model_admin, request, pk: int):
    order = get_object_or_404(Order, pk=pk)
    back = redirect("admin:checkout_queueorder_review", order.pk)
    if not workflow.FILL.may_start(status=order.status):
        messages.error(
            request, f"Order {order.number} is {order.status}; it can't be filled now."
        )
        return back
    today = timezone.localdate()
    rows = filling.lines_to_fill(order=order, today=today)
    form = FillForm(request.POST or None, rows=rows)
    refusals = []
    if request.method == "POST" and form.is_valid():
        picks = form.picks()
        if form.is_valid():  # a scan may have added an error
            try:
                actions.order_fill(order=order, actor=request.user, picks=picks)
            except actions.OrderActionRefused as exc:
                refusals = [str(exc)]
            else:
                record_access(
                    user=request.user,
                    order=order,
                    subject=AccessSubject.ORDER_REVIEW,
                    action=AccessAction.CHANGED,
                    detail="filled",
                    request=request,
                )
                messages.success(
                    request, f"Order {order.number} filled: print its label."
                )
                return back
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": f"Fill order {order.number}",
        "order": order,
        "form": form,
        "refusals": refusals,
        "runs_out": filling.supply_runs_out(order=order, today=today),
        "media": model_admin.media + form.media,
    }
    record_access(
        user=request.user,
        order=order,
        subject=AccessSubject.ORDER_REVIEW,
        action=AccessAction.VIEWED,
        detail="fill page",
        request=request,
    )
    request.current_app = model_admin.admin_site.name
    return TemplateResponse(request, "admin/checkout/order_fill.html", context)


def _pdf_response(request, pk: int, *, draw, name: str) -> HttpResponse:
    fill = Fill.objects.select_related("order__patient").filter(order_id=pk).first()
    if fill is None:
        raise Http404
    record_access(
        user=request.user,
        order=fill.order,
        subject=AccessSubject.DISPENSING_LABEL,
        action=AccessAction.VIEWED,
        detail=name,
        request=request,
    )
    response = HttpResponse(draw(fill=fill), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="{name}-{fill.order.number}.pdf"'
    )
    response["Cache-Control"] = "no-store"
    return response


def label_view(model_admin, request, pk: int):
    return _pdf_response(request, pk, draw=documents.label_pdf, name="label")


def paperwork_view(model_admin, request, pk: int):
    return _pdf_response(request, pk, draw=documents.paperwork_pdf, name="paperwork")


class ReturnForm(forms.Form):
    delivered = forms.TypedChoiceField(
        label="Did the package reach the patient?",
        choices=[
            ("no", "No: the carrier brought it back undelivered"),
            ("yes", "Yes: the patient had it"),
        ],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Please say whether it reached the patient."},
    )


def return_view(model_admin, request, pk: int):
    """A filled package came back: to its lots, or destroyed (returns.py)."""
    order = get_object_or_404(Order, pk=pk)
    form = ReturnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = returns.fill_return(
                order=order,
                actor=request.user,
                delivered=form.cleaned_data["delivered"],
            )
        except returns.ReturnRefused as exc:
            messages.error(request, str(exc))
        else:
            record_access(
                user=request.user,
                order=order,
                subject=AccessSubject.ORDER_REVIEW,
                action=AccessAction.CHANGED,
                detail="return recorded",
                request=request,
            )
            if result.refused:
                messages.warning(request, result.refused)
            else:
                messages.success(
                    request,
                    "Return recorded: " + "; ".join(r.reason for r in result.returns),
                )
        return redirect("admin:checkout_queueorder_review", order.pk)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": f"Record a returned package: order {order.number}",
        "order": order,
        "form": form,
        "media": model_admin.media + form.media,
    }
    request.current_app = model_admin.admin_site.name
    return TemplateResponse(request, "admin/checkout/order_return.html", context)
