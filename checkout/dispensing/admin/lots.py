"""Lots in the admin: receiving (pharmacists and stock staff, typed or
scanned), and for pharmacists, who got a lot and recalling it.

Receiving shows no patient. "Who got it" lists patients, so it is for those
who may recall lots (pharmacists) and each order it shows is recorded in the
health data access log.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from catalog.models import Product
from checkout.dispensing.access_log import AccessAction, AccessSubject, record_access
from checkout.dispensing.stock import gs1, recalls, receiving
from checkout.dispensing.stock.models import Lot
from pharmacy.staff.roles import Perm, staff_may


class LotForm(forms.ModelForm):
    scan = forms.CharField(
        label="Scan the pack's code (GS1 DataMatrix)",
        required=False,
        max_length=200,
        help_text="Scan or type the code's text, e.g. (01)00301722123450(17)281231"
        "(10)AB123(21)S1: it fills the NDC, lot, expiry and serial below.",
    )

    class Meta:
        model = Lot
        fields = (
            "product",
            "ndc",
            "lot_number",
            "serial_number",
            "expires_on",
            "quantity_received",
            "received_on",
            "supplier",
        )
        widgets = {
            "expires_on": forms.DateInput(attrs={"type": "date"}),
            "received_on": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "product" not in self.fields:
            return  # a received lot's page: read-only, no form fields
        self.fields["product"].queryset = Product.objects.filter(
            parent__isnull=False
        ).order_by("title")
        for name in ("product", "ndc", "lot_number", "expires_on"):
            self.fields[name].required = False
        self.order_fields(["scan", *self.Meta.fields])

    def clean(self):
        data = super().clean()
        scan = (data.get("scan") or "").strip()
        if scan:
            try:
                scanned = gs1.scan_read(text=scan)
            except gs1.ScanError as exc:
                self.add_error("scan", str(exc))
                return data
            data.update(
                ndc=scanned.ndc,
                lot_number=scanned.lot_number,
                expires_on=scanned.expires_on,
                serial_number=scanned.serial_number or data.get("serial_number", ""),
            )
            for name in ("ndc", "lot_number", "expires_on", "serial_number"):
                setattr(self.instance, name, data[name])
            if not data.get("product"):
                data["product"] = receiving.pack_for_ndc(ndc=scanned.ndc)
                self.instance.product = data["product"]
        for name, label in (
            ("product", "pack"),
            ("ndc", "NDC"),
            ("lot_number", "lot number"),
            ("expires_on", "expiry date"),
        ):
            if not data.get(name):
                self.add_error(name, f"Please give the {label}, or scan the code.")
        return data


class LotAdmin(admin.ModelAdmin):
    form = LotForm
    list_display = ("lot_number", "pack", "ndc", "expires_on", "left", "state", "links")
    list_filter = ("expires_on",)
    search_fields = ("lot_number", "ndc")
    search_help_text = "Search by lot number or NDC."
    ordering = ("expires_on", "pk")
    actions = None
    show_facets = admin.ShowFacets.NEVER

    class Media:
        css = {"all": ("css/pharmacist.css",)}

    @admin.display(description="Pack")
    def pack(self, lot):
        return lot.product.get_title()

    @admin.display(description="Packs left")
    def left(self, lot):
        return f"{lot.quantity_left} of {lot.quantity_received}"

    @admin.display(description="State")
    def state(self, lot):
        if hasattr(lot, "recall"):
            return "Recalled"
        if lot.recall_notice:
            return f"Named in recall notice {lot.recall_notice}"
        return ""

    def get_list_display(self, request):
        shown = super().get_list_display(request)
        return shown if self._may_recall(request) else shown[:-1]

    @admin.display(description="Recall")
    def links(self, lot):
        return format_html(
            '<a href="{}">Who got lot {}</a>',
            reverse("admin:checkout_lot_recipients", args=[lot.pk]),
            lot.lot_number,
        )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("product", "recall")

    # Lots are received, never edited or deleted: a wrong lot is recalled.
    def has_add_permission(self, request):
        return staff_may(request.user, Perm.RECEIVE_STOCK)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        receiving.lot_receive(lot=obj, actor=request.user)

    @staticmethod
    def _may_recall(request) -> bool:
        return staff_may(request.user, Perm.RECALL_LOTS)

    def get_urls(self):
        def wrap(view):
            return self.admin_site.admin_view(view)

        return [
            path(
                "<int:pk>/recipients/",
                wrap(self.recipients_view),
                name="checkout_lot_recipients",
            ),
            path(
                "<int:pk>/recall/", wrap(self.recall_view), name="checkout_lot_recall"
            ),
            *super().get_urls(),
        ]

    def _context(self, request, lot, **extra):
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "lot": lot,
            "media": self.media,
            **extra,
        }

    def recipients_view(self, request, pk: int):
        if not self._may_recall(request):
            raise PermissionDenied
        lot = get_object_or_404(Lot.objects.select_related("product", "recall"), pk=pk)
        recipients = recalls.lot_recipients(lot=lot)
        for recipient in recipients:
            # One record per order shown: the list names each patient.
            record_access(
                user=request.user,
                order=recipient.order,
                subject=AccessSubject.LOT_RECIPIENTS,
                action=AccessAction.VIEWED,
                detail=f"lot {lot.lot_number}",
                request=request,
            )
        request.current_app = self.admin_site.name
        return TemplateResponse(
            request,
            "admin/checkout/lot_recipients.html",
            self._context(
                request,
                lot,
                title=f"Who got lot {lot.lot_number}",
                recipients=recipients,
            ),
        )

    def recall_view(self, request, pk: int):
        if not self._may_recall(request):
            raise PermissionDenied
        lot = get_object_or_404(Lot, pk=pk)
        form = RecallForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                recall = recalls.lot_recall(
                    lot=lot, actor=request.user, reason=form.cleaned_data["reason"]
                )
            except recalls.RecallRefused as exc:
                messages.error(request, str(exc))
            else:
                messages.success(
                    request,
                    f"Lot {lot.lot_number} recalled: it will not be filled again; "
                    f"{recall.patients_emailed} patient(s) emailed.",
                )
                return redirect("admin:checkout_lot_recipients", lot.pk)
        request.current_app = self.admin_site.name
        return TemplateResponse(
            request,
            "admin/checkout/lot_recall.html",
            self._context(
                request, lot, title=f"Recall lot {lot.lot_number}", form=form
            ),
        )


class RecallForm(forms.Form):
    reason = forms.CharField(
        label="Why the lot is recalled (kept with the recall; patients are told "
        "what to do, not the reason)",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages={"required": "Please record why the lot is recalled."},
    )


admin.site.register(Lot, LotAdmin)
