"""The pharmacist's side of the admin: the prescription review queue, its
approve / reject / dispatch actions, the protected prescription file, and a
read-only view of Oscar's orders.

Health data (patients, prescriptions) is visible only to staff holding
checkout.review_prescription. Order status changes only through
checkout.lifecycle; nothing here edits a status field.
"""

import datetime
import logging
from collections import defaultdict

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import Prefetch
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from oscar.apps.order import admin as oscar_order_admin
from oscar.apps.order.models import Line, Order
from oscar.apps.payment.models import Source

from catalog.models import ProductAttributeValue
from checkout import (
    access_log_admin,  # noqa: F401  (registers the access log)
    lifecycle,
    payments,
    prescription_files,
    prescriptions,
)
from checkout.models import OrderEvent, OrderStatus, PatientDetails, Prescription

logger = logging.getLogger(__name__)

# A card authorisation made through Stripe Checkout can be captured for 7 days.
AUTHORISATION_LIFETIME = datetime.timedelta(days=7)
# What the file view will serve inline; anything else is sent as a download.
INLINE_TYPES = {
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "application/pdf": ".pdf",
}


def _may_review(request) -> bool:
    user = request.user
    return (
        user.is_active and user.is_staff and user.has_perm(lifecycle.REVIEW_PERMISSION)
    )


def _may_dispatch(request) -> bool:
    user = request.user
    return (
        user.is_active
        and user.is_staff
        and user.has_perm(lifecycle.DISPATCH_PERMISSION)
    )


class ReadOnlyAdmin(admin.ModelAdmin):
    """Nobody adds, changes or deletes these rows by hand, superusers included."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class HealthDataAdmin(ReadOnlyAdmin):
    """Read-only, and invisible (not even listed) without the review permission."""

    def has_module_permission(self, request):
        return _may_review(request)

    def has_view_permission(self, request, obj=None):
        return _may_review(request)


# -- What the queue shows about an order ---------------------------------------
# Each helper reads only what get_queryset has joined or prefetched, so the
# list costs the same number of queries for 1 order as for 100.


def _lines(order) -> list:
    return list(order.lines.all())


def _patient(order) -> PatientDetails | None:
    try:
        return order.patient
    except PatientDetails.DoesNotExist:
        return None


def _card_source(order) -> Source | None:
    return next(
        (s for s in order.sources.all() if s.source_type.name == payments.CARD_SOURCE),
        None,
    )


def _duration(delta: datetime.timedelta) -> str:
    days, seconds = delta.days, delta.seconds
    hours = seconds // 3600
    parts = []
    if days:
        parts.append(f"{days} day{'s' if days != 1 else ''}")
    if hours or not days:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    return " ".join(parts)


def authorisation_summary(order, *, now: datetime.datetime | None = None) -> str:
    source = _card_source(order)
    if source is None:
        return "Invoice — nothing to capture"
    if source.amount_debited:
        return f"Card charged {source.amount_debited}"
    if order.status not in (OrderStatus.AWAITING_REVIEW, OrderStatus.APPROVED):
        return "Card hold released"
    left = order.date_placed + AUTHORISATION_LIFETIME - (now or timezone.now())
    if left <= datetime.timedelta(0):
        return "Card authorisation expired — capture will fail"
    if left < datetime.timedelta(hours=1):
        return "Less than 1 hour left on the card authorisation"
    return f"{_duration(left)} left on the card authorisation"


class QueueFilter(admin.SimpleListFilter):
    """Orders awaiting review unless asked otherwise."""

    title = "queue"
    parameter_name = "queue"
    REVIEW, DISPATCH, ALL = "review", "dispatch", "all"
    DEFAULT = REVIEW

    def lookups(self, request, model_admin):
        return (
            (self.REVIEW, "Awaiting prescription review"),
            (self.DISPATCH, "Approved, awaiting dispatch"),
            (self.ALL, "All orders"),
        )

    def _current(self) -> str:
        value = self.value()
        return (
            value if value in (self.REVIEW, self.DISPATCH, self.ALL) else self.DEFAULT
        )

    def queryset(self, request, queryset):
        current = self._current()
        if current == self.REVIEW:
            # By the order's status, not the prescription's decision, so that no
            # order awaiting a pharmacist can drop out of sight.
            return queryset.filter(order__status=OrderStatus.AWAITING_REVIEW)
        if current == self.DISPATCH:
            return queryset.filter(order__status=OrderStatus.APPROVED)
        return queryset

    def choices(self, changelist):
        current = self._current()
        for lookup, title in self.lookup_choices:
            yield {
                "selected": current == lookup,
                "query_string": changelist.get_query_string(
                    {self.parameter_name: lookup}
                ),
                "display": title,
            }


class RejectForm(forms.Form):
    reason = forms.CharField(
        label="Reason (emailed to the customer)",
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        max_length=2000,
        error_messages={
            "required": "Please give the customer a reason for the rejection."
        },
    )


class CancelForm(RejectForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].error_messages["required"] = (
            "Please record why the order is cancelled."
        )


class DispatchForm(forms.Form):
    """One tracking reference per order: each is its own parcel."""

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        for prescription in rows:
            self.fields[self.field_name(prescription)] = forms.CharField(
                label=f"Tracking reference for order {prescription.order.number}",
                max_length=128,
                error_messages={
                    "required": "Please enter the carrier's tracking reference."
                },
            )

    @staticmethod
    def field_name(prescription) -> str:
        return f"tracking_{prescription.pk}"


@admin.register(Prescription)
class PrescriptionAdmin(HealthDataAdmin):
    """The prescription review queue: one row per order awaiting a pharmacist."""

    queue_title = "Prescription review queue"
    list_display = (
        "order_number",
        "placed",
        "status",
        "patient",
        "order_lines",
        "days_of_supply",
        "prescription",
        "card_authorisation",
    )
    list_display_links = ("order_number",)
    list_filter = (QueueFilter,)
    search_fields = ("order__number", "order__patient__full_name")
    ordering = ("-order__date_placed", "-pk")
    list_per_page = 50
    show_facets = admin.ShowFacets.NEVER
    actions = (
        "approve_selected",
        "reject_selected",
        "cancel_selected",
        "dispatch_selected",
    )
    action_form_template = "admin/checkout/prescription/action_form.html"
    fields = readonly_fields = (
        "order_number",
        "placed",
        "status",
        "patient",
        "allergies",
        "current_medicines",
        "order_lines",
        "days_of_supply",
        "prescription",
        "card_authorisation",
        "decision",
        "reviewed_by",
        "reviewed_at",
        "rejection_reason",
        "history",
    )

    def get_queryset(self, request):
        lines = (
            Line.objects.select_related("product__parent__drug")
            .prefetch_related(
                Prefetch(
                    "product__attribute_values",
                    queryset=ProductAttributeValue.objects.select_related("attribute"),
                )
            )
            .order_by("pk")
        )
        return (
            super()
            .get_queryset(request)
            .filter(order__isnull=False)
            .select_related("order__patient", "reviewed_by")
            .prefetch_related(
                Prefetch("order__lines", queryset=lines),
                Prefetch(
                    "order__sources",
                    queryset=Source.objects.select_related("source_type"),
                ),
            )
        )

    def changelist_view(self, request, extra_context=None):
        extra_context = {"title": self.queue_title, **(extra_context or {})}
        return super().changelist_view(request, extra_context)

    # -- columns ---------------------------------------------------------------

    @admin.display(description="Order", ordering="order__number")
    def order_number(self, obj):
        return obj.order.number

    @admin.display(description="Placed", ordering="order__date_placed")
    def placed(self, obj):
        return timezone.localtime(obj.order.date_placed).strftime("%Y-%m-%d %H:%M")

    @admin.display(description="Status", ordering="order__status")
    def status(self, obj):
        return obj.order.status

    @admin.display(description="Patient (age)")
    def patient(self, obj):
        patient = _patient(obj.order)
        if patient is None:
            return "No patient details"
        age = prescriptions.age_on(
            date_of_birth=patient.date_of_birth, today=timezone.localdate()
        )
        return f"{patient.full_name}, {age}"

    @admin.display(description="Allergies")
    def allergies(self, obj):
        patient = _patient(obj.order)
        return (patient.allergies if patient else "") or "None given"

    @admin.display(description="Current medicines")
    def current_medicines(self, obj):
        patient = _patient(obj.order)
        return (patient.current_medicines if patient else "") or "None given"

    @admin.display(description="Lines")
    def order_lines(self, obj):
        return format_html(
            '<ul class="queue-lines">{}</ul>',
            format_html_join(
                "",
                "<li>{} × {}</li>",
                ((line.title, line.quantity) for line in _lines(obj.order)),
            ),
        )

    @admin.display(description="Days of supply at max. daily dose")
    def days_of_supply(self, obj):
        rows = prescriptions.order_supply(order=obj.order)
        items = [
            (row.description, f"{row.days} days" if row.days is not None else "—")
            for row in rows
        ]
        # Two lines of one medicine last as long as their sum.
        per_drug = defaultdict(list)
        for line, row in zip(_lines(obj.order), rows, strict=True):
            drug = getattr(getattr(line.product, "parent", None), "drug", None)
            if drug is not None and row.days is not None:
                per_drug[drug.generic_name].append(row.days)
        items += [
            (f"Total {name}", f"{sum(days)} days")
            for name, days in per_drug.items()
            if len(days) > 1
        ]
        return format_html(
            '<ul class="queue-supply">{}</ul>',
            format_html_join("", "<li>{}: {}</li>", items),
        )

    @admin.display(description="Prescription")
    def prescription(self, obj):
        if obj.source == Prescription.Source.UPLOAD and obj.file:
            kind = INLINE_TYPES.get(obj.file_content_type, "").lstrip(".").upper()
            # A PDF opens as the image of its first page, never as a PDF.
            url = (
                reverse("admin:checkout_prescription_page", args=[obj.pk, 1])
                if obj.file_content_type == "application/pdf"
                else reverse("admin:checkout_prescription_file", args=[obj.pk])
            )
            return format_html(
                '<a href="{}" target="_blank" rel="noopener noreferrer">'
                "View uploaded prescription{}</a>",
                url,
                f" ({kind})" if kind else "",
            )
        if obj.source == Prescription.Source.PRESCRIBER:
            return format_html(
                "Prescriber: {}<br>Phone: {}<br>NPI: {}",
                obj.prescriber_name,
                obj.prescriber_phone,
                obj.prescriber_npi,
            )
        return "No prescription given"

    @admin.display(description="Card authorisation")
    def card_authorisation(self, obj):
        return authorisation_summary(obj.order)

    @admin.display(description="History")
    def history(self, obj):
        events = obj.order.events.select_related("actor")
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li>{} — {} by {}{}</li>",
                (
                    (
                        timezone.localtime(e.created_at).strftime("%Y-%m-%d %H:%M"),
                        e.action,
                        e.actor or "the customer",
                        f": {e.note}" if e.note else "",
                    )
                    for e in events
                ),
            ),
        )

    # -- actions ---------------------------------------------------------------

    def has_review_permission(self, request):
        return _may_review(request)

    def has_dispatch_permission(self, request):
        return _may_review(request) and _may_dispatch(request)

    def _report(self, request, *, done: list[str], verb: str, refused: list[str]):
        if done:
            self.message_user(
                request,
                f"{verb} {len(done)} order{'s' if len(done) != 1 else ''}: "
                f"{', '.join(done)}.",
                messages.SUCCESS,
            )
        for reason in refused:
            self.message_user(request, reason, messages.ERROR)
        if not done and not refused:
            self.message_user(
                request,
                "None of the selected orders can have that done now; the list has "
                "changed since you opened it.",
                messages.WARNING,
            )

    def _only(self, request, queryset, statuses: tuple[str, ...], verb: str) -> list:
        """The selected rows whose order is in one of ``statuses``; the rest are
        reported."""
        rows = []
        for prescription in queryset:
            if prescription.order.status in statuses:
                rows.append(prescription)
            else:
                self.message_user(
                    request,
                    f"Order {prescription.order.number} is "
                    f"{prescription.order.status}; it can't be {verb}.",
                    messages.ERROR,
                )
        return rows

    @admin.action(description="Approve selected orders", permissions=["review"])
    def approve_selected(self, request, queryset):
        done, refused = [], []
        for prescription in queryset:
            order = prescription.order
            try:
                lifecycle.order_approve(order=order, actor=request.user)
            except lifecycle.OrderActionRefused as exc:
                refused.append(f"Order {order.number} was not approved: {exc}")
            else:
                done.append(order.number)
        self._report(request, done=done, verb="Approved", refused=refused)

    @admin.action(description="Reject selected orders", permissions=["review"])
    def reject_selected(self, request, queryset):
        return self._with_reason(
            request,
            queryset,
            act=lifecycle.order_reject,
            form_class=RejectForm,
            statuses=(OrderStatus.AWAITING_REVIEW,),
            past="rejected",
            page={
                "action": "reject_selected",
                "title": "Reject orders",
                "intro": "The customer is emailed the reason. Any hold on their card "
                "is released and the stock returns to the shelf.",
                "submit": "Reject these orders",
            },
        )

    @admin.action(
        description="Cancel at the customer's request", permissions=["review"]
    )
    def cancel_selected(self, request, queryset):
        return self._with_reason(
            request,
            queryset,
            act=lifecycle.order_cancel,
            form_class=CancelForm,
            statuses=(OrderStatus.AWAITING_REVIEW, OrderStatus.APPROVED),
            past="cancelled",
            page={
                "action": "cancel_selected",
                "title": "Cancel orders",
                "intro": "Only orders not yet dispatched can be cancelled. The "
                "customer is emailed the reason, any hold on their card is released "
                "and the stock returns to the shelf.",
                "submit": "Cancel these orders",
            },
        )

    def _with_reason(self, request, queryset, *, act, form_class, statuses, past, page):
        """An action that asks for a reason first, then applies ``act`` to each
        selected order; ``past`` names what was done ("rejected")."""
        if "apply" in request.POST:
            rows = list(queryset)
            form = form_class(request.POST)
            if form.is_valid():
                done, refused = [], []
                for prescription in rows:
                    order = prescription.order
                    try:
                        act(
                            order=order,
                            actor=request.user,
                            reason=form.cleaned_data["reason"],
                        )
                    except lifecycle.OrderActionRefused as exc:
                        refused.append(f"Order {order.number} was not {past}: {exc}")
                    else:
                        done.append(order.number)
                self._report(
                    request, done=done, verb=past.capitalize(), refused=refused
                )
                return None
            self.message_user(
                request, f"Nothing was {past}: please give a reason.", messages.ERROR
            )
        else:
            rows = self._only(request, queryset, statuses, past)
            if not rows:
                return None
            form = form_class()
        return self._action_page(request, rows=rows, form=form, **page)

    @admin.action(description="Mark as dispatched", permissions=["dispatch"])
    def dispatch_selected(self, request, queryset):
        if "apply" in request.POST:
            rows = list(queryset)
            form = DispatchForm(request.POST, rows=rows)
            if form.is_valid():
                done, refused = [], []
                for prescription in rows:
                    order = prescription.order
                    try:
                        lifecycle.order_dispatch(
                            order=order,
                            actor=request.user,
                            tracking_reference=form.cleaned_data[
                                DispatchForm.field_name(prescription)
                            ],
                        )
                    except lifecycle.OrderActionRefused as exc:
                        refused.append(
                            f"Order {order.number} was not dispatched: {exc}"
                        )
                    else:
                        done.append(order.number)
                self._report(request, done=done, verb="Dispatched", refused=refused)
                return None
            self.message_user(
                request,
                "Nothing was dispatched: every order needs a tracking reference.",
                messages.ERROR,
            )
        else:
            rows = self._only(request, queryset, (OrderStatus.APPROVED,), "dispatched")
            if not rows:
                return None
            form = DispatchForm(rows=rows)
        return self._action_page(
            request,
            rows=rows,
            form=form,
            action="dispatch_selected",
            title="Mark orders as dispatched",
            intro="Enter the carrier's tracking reference for each parcel. The "
            "customer is emailed it.",
            submit="Mark as dispatched",
        )

    def _action_page(self, request, *, rows, form, action, title, intro, submit):
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "intro": intro,
            "submit": submit,
            "opts": self.opts,
            "rows": rows,
            "form": form,
            "action": action,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "queue_title": self.queue_title,
            "media": self.media + form.media,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.action_form_template, context)

    # -- the prescription file (views in checkout/prescription_files.py) -------

    def get_urls(self):
        return [
            *prescription_files.admin_urls(self.admin_site),
            *super().get_urls(),
        ]


@admin.register(PatientDetails)
class PatientDetailsAdmin(HealthDataAdmin):
    list_display = ("full_name", "order_number", "date_of_birth", "age")
    list_select_related = ("order",)
    search_fields = ("full_name", "order__number")
    ordering = ("-created_at",)
    fields = readonly_fields = (
        "order_number",
        "full_name",
        "date_of_birth",
        "age",
        "allergies",
        "current_medicines",
        "created_at",
    )

    def get_queryset(self, request):
        return super().get_queryset(request).filter(order__isnull=False)

    @admin.display(description="Order", ordering="order__number")
    def order_number(self, obj):
        return obj.order.number if obj.order else "(in checkout)"

    @admin.display(description="Age")
    def age(self, obj):
        return prescriptions.age_on(
            date_of_birth=obj.date_of_birth, today=timezone.localdate()
        )


@admin.register(OrderEvent)
class OrderEventAdmin(ReadOnlyAdmin):
    """The audit trail. Nobody edits history."""

    list_display = (
        "created_at",
        "order",
        "action",
        "from_status",
        "to_status",
        "actor",
    )
    list_filter = ("action",)
    list_select_related = ("order", "actor")
    search_fields = ("order__number",)
    ordering = ("-created_at", "-id")


# -- Oscar's orders, read-only -------------------------------------------------
# Oscar's own OrderAdmin lets anyone with order.change_order type a new status,
# skipping the pharmacist. Orders change only through checkout.lifecycle.

if admin.site.is_registered(oscar_order_admin.Order):
    admin.site.unregister(oscar_order_admin.Order)
# Line statuses too: they are set by the order's status, never by hand.
if admin.site.is_registered(Line):
    admin.site.unregister(Line)


@admin.register(Order)
class OrderAdmin(ReadOnlyAdmin):
    list_display = ("number", "status", "total_incl_tax", "date_placed")
    list_filter = ("status",)
    search_fields = ("number",)
    ordering = ("-date_placed",)
    date_hierarchy = "date_placed"
    fields = readonly_fields = (
        "number",
        "status",
        "date_placed",
        "user",
        "guest_email",
        "currency",
        "total_incl_tax",
        "shipping_incl_tax",
        "shipping_method",
        "order_lines",
    )

    @admin.display(description="Lines")
    def order_lines(self, obj):
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li>{} × {} ({})</li>",
                ((line.title, line.quantity, line.status) for line in obj.lines.all()),
            ),
        )
