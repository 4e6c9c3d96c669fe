"""The customer's side of refills: "Your prescriptions", requesting a refill,
reminders on and off, and transfers. (An account from a guest order is
pharmacy/accounts/order_views.py: it registers like any account.)"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import redirect
from django.views import generic

from checkout.dispensing.refills import reminders, rules, services, transfers
from checkout.dispensing.refills.forms import TransferRequestForm


def _row(record) -> dict:
    history = rules.fills(record=record)
    return {
        "record": record,
        "rx": rules.rx_number(record=record),
        "expires": rules.expiry_date(record=record),
        "refills_left": rules.refills_left(record=record),
        "refusal": rules.refill_refusal(record=record),
        "last_fill": history[-1] if history else None,
    }


class PrescriptionListView(generic.TemplateView):
    """Everyone may open it: a guest is told that refills need an account."""

    template_name = "refills/prescriptions.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx["rows"] = [_row(r) for r in rules.records_of(user=user)]
        if user.is_authenticated:
            ctx["subscribed"] = {
                row["record"].drug_id
                for row in ctx["rows"]
                if reminders.is_subscribed(user=user, drug=row["record"].drug)
            }
        return ctx


def _own_record(request, pk: int):
    record = rules.record_of(user=request.user, pk=pk)
    if record is None:
        raise Http404("No such prescription")
    return record


class RefillView(LoginRequiredMixin, generic.TemplateView):
    """The reminder's one-click link lands here: one button requests the refill."""

    template_name = "refills/refill.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["row"] = _row(_own_record(self.request, kwargs["pk"]))
        return ctx

    def post(self, request, pk):
        record = _own_record(request, pk)
        had_lines = not request.basket.is_empty
        try:
            services.refill_to_basket(record=record, basket=request.basket)
        except services.RefillRefused as exc:
            messages.error(request, str(exc))
            return redirect("refills:list")
        note = " It replaces what was in your basket." if had_lines else ""
        messages.success(
            request,
            f"Refill of prescription {rules.rx_number(record=record)} is in your "
            f"basket.{note} Check out to send it to our pharmacist.",
        )
        return redirect("basket:summary")


class ReminderToggleView(LoginRequiredMixin, generic.View):
    def post(self, request, pk):
        record = _own_record(request, pk)
        wanted = request.POST.get("remind") == "on"
        reminders.subscribe(user=request.user, drug=record.drug, active=wanted)
        messages.success(
            request,
            f"Refill reminders for {record.drug.generic_name} are "
            f"{'on' if wanted else 'off'}.",
        )
        return redirect("refills:list")


class UnsubscribeView(generic.TemplateView):
    """From the reminder email, no sign-in: GET asks, POST turns them off (so a
    mail scanner following links can't unsubscribe anyone)."""

    template_name = "refills/unsubscribe.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["done"] = False
        return ctx

    def post(self, request, token):
        subscription = reminders.unsubscribe_by_token(token=token)
        if subscription is None:
            raise Http404("This link is not valid.")
        return self.render_to_response({"done": True, "drug": subscription.drug})


class TransferRequestView(LoginRequiredMixin, generic.FormView):
    template_name = "refills/transfer.html"
    form_class = TransferRequestForm

    def get_initial(self):
        return transfers.transfer_request_initial(user=self.request.user)

    def form_valid(self, form):
        try:
            transfers.transfer_request(user=self.request.user, data=form.cleaned_data)
        except transfers.TransferRefused as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        messages.success(
            self.request,
            "Thank you. Our pharmacist will contact your pharmacy to transfer the "
            "prescription. We have emailed you that the request arrived, and will "
            "email you again when it is done.",
        )
        return redirect("refills:list")
