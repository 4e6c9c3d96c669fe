"""The pharmacist's queue: every order needing a decision, oldest first.

Built on orders (a proxy, QueueOrder), not on prescriptions, so an order is
listed whatever its lines. Each row links to the order's review page, where
every decision is made; the list itself changes nothing.
"""

from django.contrib import admin
from django.db.models import Count, Prefetch
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from oscar.apps.order.models import Line

from catalog.models import ProductAttributeValue
from checkout.dispensing import pharmacist, queues
from checkout.dispensing.admin import actions, fill, review
from checkout.dispensing.admin.access import (
    HealthDataAdmin,
    may_review,
    reviewers_only,
)
from checkout.dispensing.admin.access_log_admin import RecordsHealthDataViews
from checkout.dispensing.admin.summaries import authorisation_summary
from checkout.dispensing.models import AccessSubject, PrescriptionRecord, QueueOrder


class QueueFilter(admin.SimpleListFilter):
    """Orders awaiting review unless asked otherwise."""

    title = "queue"
    parameter_name = "queue"

    def lookups(self, request, model_admin):
        by_status = dict(
            QueueOrder.objects.order_by()
            .values("status")
            .annotate(n=Count("pk"))
            .values_list("status", "n")
        )
        sizes = queues.queue_sizes(orders_by_status=by_status)
        return [
            (name, f"{queue.title} ({sizes[name]})")
            for name, queue in queues.QUEUES.items()
        ]

    def _current(self) -> str:
        return queues.queue_chosen(self.value())

    def queryset(self, request, queryset):
        statuses = queues.QUEUES[self._current()].statuses
        return queryset if statuses is None else queryset.filter(status__in=statuses)

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


def record_of(order) -> PrescriptionRecord | None:
    """The prescription record, from what the queue joined (no query)."""
    prescription = getattr(order, "prescription", None)
    if prescription is None:
        return None
    try:
        return prescription.record
    except PrescriptionRecord.DoesNotExist:
        return None


@admin.register(QueueOrder)
class QueueOrderAdmin(RecordsHealthDataViews, HealthDataAdmin):
    """Pharmacists only, and read-only: decisions are made on the review page.
    The list names patients and their age: each view is in the access log."""

    access_subject = AccessSubject.QUEUE

    list_display = (
        "order",
        "placed",
        "patient_age",
        "order_lines",
        "flags",
        "counselling",
        "card",
    )
    list_display_links = None
    list_filter = (QueueFilter,)
    search_fields = ("number",)
    search_help_text = "Search by order number."
    ordering = ("date_placed", "pk")
    list_per_page = 50
    show_facets = admin.ShowFacets.NEVER
    actions = None

    class Media:
        css = {"all": ("css/pharmacist.css",)}

    # -- pages -----------------------------------------------------------------

    def get_urls(self):
        def wrap(view):
            return reviewers_only(self.admin_site.admin_view(view))

        return [
            path(
                "<int:pk>/review/",
                wrap(lambda request, pk: review.review_view(self, request, pk)),
                name="checkout_queueorder_review",
            ),
            path(
                "<int:pk>/decide/<slug:action>/",
                wrap(
                    lambda request, pk, action: actions.action_view(
                        self, request, pk, action
                    )
                ),
                name="checkout_queueorder_action",
            ),
            path(
                "<int:pk>/fill/",
                wrap(lambda request, pk: fill.fill_view(self, request, pk)),
                name="checkout_queueorder_fill",
            ),
            path(
                "<int:pk>/return/",
                wrap(lambda request, pk: fill.return_view(self, request, pk)),
                name="checkout_queueorder_return",
            ),
            path(
                "<int:pk>/label.pdf",
                wrap(lambda request, pk: fill.label_view(self, request, pk)),
                name="checkout_queueorder_label",
            ),
            path(
                "<int:pk>/paperwork.pdf",
                wrap(lambda request, pk: fill.paperwork_view(self, request, pk)),
                name="checkout_queueorder_paperwork",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # One page per order: the review page.
        if not may_review(request):
            return super().change_view(request, object_id, form_url, extra_context)
        return redirect("admin:checkout_queueorder_review", object_id)

    def access_order(self, obj):
        return obj

    def count_words(self, cl) -> tuple[str, str]:
        # "3 orders to review", in the words of the queue shown.
        queue = queues.QUEUES[
            queues.queue_chosen(cl.params.get(QueueFilter.parameter_name))
        ]
        return queue.one, queue.many

    def changelist_view(self, request, extra_context=None):
        # Without the navigation sidebar, seven columns fit 1280 px.
        extra_context = {
            "title": "Pharmacist's queue",
            "is_nav_sidebar_enabled": False,
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra_context)

    def get_queryset(self, request):
        lines = (
            Line.objects.select_related("product__parent__drug")
            .prefetch_related(
                Prefetch(
                    "product__attribute_values",
                    queryset=ProductAttributeValue.objects.select_related("attribute"),
                ),
                "product__parent__drug__cautions",
            )
            .order_by("pk")
        )
        return (
            super()
            .get_queryset(request)
            .select_related("patient", "payment", "prescription__record")
            .prefetch_related(
                Prefetch("lines", queryset=lines),
                "flag_acknowledgements",
            )
        )

    # -- columns ---------------------------------------------------------------

    @admin.display(description="Order", ordering="number")
    def order(self, obj):
        return format_html(
            '<a href="{}">{}</a><span class="queue-status">{}</span>',
            reverse("admin:checkout_queueorder_review", args=[obj.pk]),
            obj.number,
            obj.status,
        )

    @admin.display(description="Placed", ordering="date_placed")
    def placed(self, obj):
        return timezone.localtime(obj.date_placed).strftime("%Y-%m-%d %H:%M")

    @admin.display(description="Patient (age)")
    def patient_age(self, obj):
        patient = pharmacist.patient_of(obj)
        if patient is None:
            return "No patient details"
        return f"{patient.full_name}, {pharmacist.patient_age(patient)}"

    @admin.display(description="Lines")
    def order_lines(self, obj):
        return format_html(
            '<ul class="queue-list">{}</ul>',
            format_html_join(
                "",
                "<li>{} × {}</li>",
                ((line.title, line.quantity) for line in obj.lines.all()),
            ),
        )

    @admin.display(description="Flags")
    def flags(self, obj):
        flags = pharmacist.order_flags(order=obj, record=record_of(obj))
        done = {a.code for a in obj.flag_acknowledgements.all()}
        if not flags:
            return "None"
        return format_html(
            '<ul class="queue-list">{}</ul>',
            format_html_join(
                "",
                "<li>{}{}</li>",
                (
                    (flag.title, " (acknowledged)" if flag.code in done else "")
                    for flag in flags
                ),
            ),
        )

    @admin.display(description="Counselling")
    def counselling(self, obj):
        asked = pharmacist.counselling_request(pharmacist.patient_of(obj))
        if asked.wanted:
            return format_html(
                "<strong>Asked to speak to a pharmacist</strong>{}",
                format_html("<br>{}", asked.best_time) if asked.best_time else "",
            )
        return "Did not ask" if asked.wanted is False else "—"

    @admin.display(description="Card")
    def card(self, obj):
        return authorisation_summary(obj)
