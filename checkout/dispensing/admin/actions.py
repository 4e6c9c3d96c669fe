"""The decisions on an order, each behind a confirmation step that names the
order and says what will happen to the customer's card.

Each decision takes one action of the order workflow (checkout/orders/
workflow.py), through checkout/orders/actions.py; nothing else changes an
order's status. A repeated submit (a double click, the back button) meets the
action's refusal and is reported, never applied twice.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from oscar.apps.order.models import Order

from checkout.dispensing import decisions as dispensing_decisions
from checkout.dispensing.access_log import AccessAction, AccessSubject, record_access
from checkout.dispensing.admin.forms import (
    CancelForm,
    ConfirmForm,
    DispatchForm,
    HoldForm,
    NoteForm,
    ReasonForm,
    RecordPaymentForm,
)
from checkout.dispensing.admin.summaries import card_effect
from checkout.orders import actions, workflow
from checkout.payments import ledger
from checkout.payments.invoices import Received
from pharmacy.staff.roles import staff_may


@dataclass(frozen=True)
class Decision:
    """A decision the review page offers: the workflow action(s) it takes
    (statuses, permission and effects come from workflow.py), and how the
    page asks for it."""

    name: str  # the confirmation page's URL
    takes: tuple[workflow.Action, ...]  # the first that may start is taken
    form: type[forms.Form]
    run: Callable | None
    customer_told: str
    confirm: str  # the confirm button, before the order number
    # A refusal shows the form again with what was typed and why, rather
    # than going back to the review page.
    refusal_keeps_form: bool = False
    # A decision with its own page (a fill picks lots) names it here.
    page: str = "admin:checkout_queueorder_action"

    @property
    def label(self) -> str:
        return self.takes[0].label

    @property
    def done(self) -> str:
        return self.takes[0].done

    def action_for(self, *, status: str) -> workflow.Action | None:
        """The workflow action this decision takes for an order in ``status``."""
        return next((a for a in self.takes if a.may_start(status=status)), None)


DECISIONS = {
    decision.name: decision
    for decision in (
        Decision(
            name="approve",
            takes=(workflow.APPROVE,),
            form=ConfirmForm,
            run=lambda order, actor, data: actions.order_approve(
                order=order, actor=actor
            ),
            confirm="Yes, approve order",
            customer_told="The customer is emailed that the order is approved.",
        ),
        Decision(
            name="hold",
            takes=(workflow.HOLD,),
            form=HoldForm,
            run=lambda order, actor, data: actions.order_hold(
                order=order, actor=actor, reason=data["reason"], words=data["words"]
            ),
            confirm="Yes, put on hold order",
            customer_told="The customer is emailed the reason for the hold, and "
            "can send a new prescription or their prescriber's details from the "
            "order's status page; the order then comes back to the queue.",
            refusal_keeps_form=True,
        ),
        Decision(
            name="request-prescription",
            takes=(workflow.ASK_PRESCRIBER,),
            form=NoteForm,
            run=lambda order, actor, data: actions.order_prescription_request(
                order=order, actor=actor, note=data["note"]
            ),
            confirm="Yes, mark as waiting for the prescriber: order",
            customer_told="The customer is not emailed.",
            refusal_keeps_form=True,
        ),
        Decision(
            name="resume",
            takes=(workflow.RESUME,),
            form=NoteForm,
            run=lambda order, actor, data: actions.order_resume(
                order=order, actor=actor, note=data["note"]
            ),
            confirm="Yes, put back in review order",
            customer_told="The customer is not emailed.",
            refusal_keeps_form=True,
        ),
        Decision(
            name="reject",
            takes=(workflow.REJECT,),
            form=ReasonForm,
            run=lambda order, actor, data: actions.order_reject(
                order=order, actor=actor, reason=data["reason"]
            ),
            confirm="Yes, reject order",
            customer_told="The customer is emailed the reason; the stock returns "
            "to the shelf.",
            refusal_keeps_form=True,
        ),
        Decision(
            name="cancel",
            takes=(workflow.CANCEL, workflow.REFUND),
            form=CancelForm,
            run=lambda order, actor, data: actions.order_cancel(
                order=order, actor=actor, reason=data["reason"]
            ),
            confirm="Yes, cancel order",
            customer_told="The customer is emailed the reason; the stock returns "
            "to the shelf.",
            refusal_keeps_form=True,
        ),
        Decision(
            name="fill",
            takes=(workflow.FILL,),
            form=ConfirmForm,
            run=None,  # the fill page picks the lots (admin/fill.py)
            confirm="Fill order",
            customer_told="The customer is not emailed.",
            page="admin:checkout_queueorder_fill",
        ),
        Decision(
            name="dispatch",
            takes=(workflow.DISPATCH,),
            form=DispatchForm,
            run=lambda order, actor, data: actions.order_dispatch(
                order=order,
                actor=actor,
                carrier=data["carrier"],
                tracking_reference=data["tracking_reference"],
            ),
            confirm="Yes, dispatch order",
            customer_told="The customer is emailed the carrier and tracking reference.",
            refusal_keeps_form=True,
        ),
        Decision(
            name="record-payment",
            takes=(workflow.RECORD_PAYMENT,),
            form=RecordPaymentForm,
            run=lambda order, actor, data: actions.order_payment_record(
                order=order, actor=actor, received=Received(**data)
            ),
            confirm="Yes, record this payment for order",
            customer_told="The customer is not emailed; their order's page shows "
            "the payment received.",
            refusal_keeps_form=True,
        ),
    )
}


def decisions_offered(*, order: Order, request) -> list[Decision]:
    """The decisions the review page offers: those whose workflow action may
    start from the order's status and that this user may take."""
    offered = []
    for decision in DECISIONS.values():
        action = decision.action_for(status=order.status)
        if action is None or not staff_may(request.user, action.permission):
            continue
        if workflow.Check.PRESCRIBER_GIVEN in action.checks and (
            dispensing_decisions.prescriber_refusals(order=order)
        ):
            continue
        if action.money is workflow.Money.RECEIVE and not _invoice_unpaid(order):
            continue
        offered.append(decision)
    return offered


def _invoice_unpaid(order: Order) -> bool:
    payment = ledger.payment_loaded(order)
    return (
        payment is not None and payment.state in workflow.RECORD_PAYMENT.payment_states
    )


# What stops an action, listed before anything is asked for it (on the review
# page and the confirmation step), by action name.
_REFUSALS = {
    workflow.APPROVE.name: dispensing_decisions.approval_refusals,
    workflow.DISPATCH.name: dispensing_decisions.dispatch_blockers,
}


def refusals_before(*, action: workflow.Action | None, order: Order) -> list[str]:
    check = _REFUSALS.get(action.name) if action else None
    return check(order=order) if check else []


def action_view(model_admin, request, pk: int, name: str):
    decision = DECISIONS.get(name)
    if decision is None or decision.run is None:
        raise Http404
    if not staff_may(request.user, decision.takes[0].permission):
        raise PermissionDenied
    order = get_object_or_404(Order, pk=pk)
    back = redirect("admin:checkout_queueorder_review", order.pk)
    action = decision.action_for(status=order.status)
    if request.method == "POST":
        form = decision.form(request.POST)
        if form.is_valid():
            try:
                decision.run(order, request.user, form.cleaned_data)
            except actions.OrderActionRefused as exc:
                order.refresh_from_db()
                if action is None or order.status == action.ends_in:
                    messages.info(
                        request, f"Order {order.number} was already {decision.done}."
                    )
                    return back
                if decision.refusal_keeps_form and decision.action_for(
                    status=order.status
                ):
                    form.add_error(None, str(exc))
                    return _confirmation(
                        model_admin, request, order=order, decision=decision, form=form
                    )
                messages.error(
                    request, f"Order {order.number} was not {decision.done}: {exc}"
                )
                return back
            record_access(
                user=request.user,
                order=order,
                subject=AccessSubject.ORDER_REVIEW,
                action=AccessAction.CHANGED,
                detail=decision.name,
                request=request,
            )
            messages.success(request, f"Order {order.number} {decision.done}.")
            return back
    else:
        if action is None:
            messages.error(
                request,
                f"Order {order.number} is {order.status}; it can't be "
                f"{decision.done} now.",
            )
            return back
        form = decision.form()
    return _confirmation(
        model_admin, request, order=order, decision=decision, form=form
    )


def _confirmation(model_admin, request, *, order: Order, decision: Decision, form):
    action = decision.action_for(status=order.status)
    # What stops the decision, said before anything is typed for it.
    refusals = refusals_before(action=action, order=order)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": f"{decision.label}: order {order.number}",
        "order": order,
        "action": decision,
        "to_status": action.ends_in if action else "",
        "form": form,
        "card_effect": card_effect(order, action=action.name if action else ""),
        "refusals": refusals,
        "media": model_admin.media + form.media,
    }
    request.current_app = model_admin.admin_site.name
    return TemplateResponse(request, "admin/checkout/order_action.html", context)
