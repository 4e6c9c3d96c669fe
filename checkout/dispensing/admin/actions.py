"""The decisions on an order, each behind a confirmation step that names the
order and says what will happen to the customer's card.

Every action calls one checkout.lifecycle service; nothing else changes an
order's status. A repeated submit (a double click, the back button) meets the
service's refusal and is reported, never applied twice.
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

from checkout.dispensing.access_log import AccessAction, AccessSubject, record_access
from checkout.dispensing.admin.access import may_dispatch
from checkout.dispensing.admin.forms import (
    CancelForm,
    ConfirmForm,
    DispatchForm,
    NoteForm,
    ReasonForm,
)
from checkout.dispensing.admin.summaries import card_effect
from checkout.dispensing.models import Prescription
from checkout.orders import lifecycle
from checkout.orders.models import OrderStatus


@dataclass(frozen=True)
class Action:
    name: str
    label: str
    done: str  # past tense, for messages
    to_status: str
    from_statuses: tuple[str, ...]
    form: type[forms.Form]
    run: Callable
    customer_told: str
    confirm: str  # the confirm button, before the order number
    needs_dispatch: bool = False


UNDECIDED = lifecycle.UNDECIDED
ACTIONS = {
    action.name: action
    for action in (
        Action(
            name="approve",
            label="Approve",
            done="approved",
            to_status=OrderStatus.APPROVED,
            from_statuses=UNDECIDED,
            form=ConfirmForm,
            run=lambda order, actor, data: lifecycle.order_approve(
                order=order, actor=actor
            ),
            confirm="Yes, approve order",
            customer_told="The customer is emailed that the order is approved.",
        ),
        Action(
            name="hold",
            label="Put on hold",
            done="put on hold",
            to_status=OrderStatus.ON_HOLD,
            from_statuses=(
                OrderStatus.AWAITING_REVIEW,
                OrderStatus.PRESCRIPTION_REQUESTED,
            ),
            form=ReasonForm,
            run=lambda order, actor, data: lifecycle.order_hold(
                order=order, actor=actor, reason=data["reason"]
            ),
            confirm="Yes, put on hold order",
            customer_told="The customer is emailed the reason for the hold.",
        ),
        Action(
            name="request-prescription",
            label="Prescription requested from prescriber",
            done="marked as waiting for the prescriber",
            to_status=OrderStatus.PRESCRIPTION_REQUESTED,
            from_statuses=(OrderStatus.AWAITING_REVIEW, OrderStatus.ON_HOLD),
            form=NoteForm,
            run=lambda order, actor, data: lifecycle.order_prescription_request(
                order=order, actor=actor, note=data["note"]
            ),
            confirm="Yes, mark as waiting for the prescriber: order",
            customer_told="The customer is not emailed.",
        ),
        Action(
            name="resume",
            label="Back to review",
            done="put back in review",
            to_status=OrderStatus.AWAITING_REVIEW,
            from_statuses=(OrderStatus.ON_HOLD, OrderStatus.PRESCRIPTION_REQUESTED),
            form=NoteForm,
            run=lambda order, actor, data: lifecycle.order_resume(
                order=order, actor=actor, note=data["note"]
            ),
            confirm="Yes, put back in review order",
            customer_told="The customer is not emailed.",
        ),
        Action(
            name="reject",
            label="Reject",
            done="rejected",
            to_status=OrderStatus.REJECTED,
            from_statuses=UNDECIDED,
            form=ReasonForm,
            run=lambda order, actor, data: lifecycle.order_reject(
                order=order, actor=actor, reason=data["reason"]
            ),
            confirm="Yes, reject order",
            customer_told="The customer is emailed the reason; the stock returns "
            "to the shelf.",
        ),
        Action(
            name="cancel",
            label="Cancel at the customer's request",
            done="cancelled",
            to_status=OrderStatus.CANCELLED,
            from_statuses=(*UNDECIDED, OrderStatus.APPROVED),
            form=CancelForm,
            run=lambda order, actor, data: lifecycle.order_cancel(
                order=order, actor=actor, reason=data["reason"]
            ),
            confirm="Yes, cancel order",
            customer_told="The customer is emailed the reason; the stock returns "
            "to the shelf.",
        ),
        Action(
            name="dispatch",
            label="Dispatch",
            done="dispatched",
            to_status=OrderStatus.DISPATCHED,
            from_statuses=(OrderStatus.APPROVED,),
            form=DispatchForm,
            run=lambda order, actor, data: lifecycle.order_dispatch(
                order=order,
                actor=actor,
                carrier=data["carrier"],
                tracking_reference=data["tracking_reference"],
            ),
            confirm="Yes, dispatch order",
            customer_told="The customer is emailed the carrier and tracking reference.",
            needs_dispatch=True,
        ),
    )
}


def actions_offered(*, order: Order, request) -> list[Action]:
    """The actions the review page offers for the order's status and the user."""
    offered = []
    for action in ACTIONS.values():
        if order.status not in action.from_statuses:
            continue
        if action.needs_dispatch and not may_dispatch(request):
            continue
        if action.name == "request-prescription" and not _gave_prescriber(order):
            continue
        offered.append(action)
    return offered


def _gave_prescriber(order: Order) -> bool:
    return Prescription.objects.filter(
        order=order, source=Prescription.Source.PRESCRIBER
    ).exists()


def action_view(model_admin, request, pk: int, name: str):
    action = ACTIONS.get(name)
    if action is None:
        raise Http404
    if action.needs_dispatch and not may_dispatch(request):
        raise PermissionDenied
    order = get_object_or_404(Order, pk=pk)
    back = redirect("admin:checkout_queueorder_review", order.pk)
    if request.method == "POST":
        form = action.form(request.POST)
        if form.is_valid():
            try:
                action.run(order, request.user, form.cleaned_data)
            except lifecycle.OrderActionRefused as exc:
                order.refresh_from_db()
                if order.status == action.to_status:
                    messages.info(
                        request, f"Order {order.number} was already {action.done}."
                    )
                else:
                    messages.error(
                        request, f"Order {order.number} was not {action.done}: {exc}"
                    )
                return back
            record_access(
                user=request.user,
                order=order,
                subject=AccessSubject.ORDER_REVIEW,
                action=AccessAction.CHANGED,
                detail=action.name,
                request=request,
            )
            messages.success(request, f"Order {order.number} {action.done}.")
            return back
    else:
        if order.status not in action.from_statuses:
            messages.error(
                request,
                f"Order {order.number} is {order.status}; it can't be {action.done} "
                "now.",
            )
            return back
        form = action.form()
    refusals = (
        lifecycle.approval_refusals(order=order) if action.name == "approve" else []
    )
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": f"{action.label}: order {order.number}",
        "order": order,
        "action": action,
        "form": form,
        "card_effect": card_effect(order, action=action.name),
        "refusals": refusals,
        "media": model_admin.media + form.media,
    }
    request.current_app = model_admin.admin_site.name
    return TemplateResponse(request, "admin/checkout/order_action.html", context)
