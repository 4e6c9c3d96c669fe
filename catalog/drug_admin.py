"""The admin's Drugs pages: one page adds a drug with its packs, monograph and
image (as a draft); the drug's page edits it and publishes it once complete,
saying what is missing until then."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from catalog import drug_services
from catalog.drug_forms import DrugCreateForm, PackFormSet, SectionFormSet
from catalog.drug_rules import drug_missing_items
from catalog.models import Drug, DrugStatus, MonographSection, Strength


class MonographSectionInline(admin.StackedInline):
    model = MonographSection
    extra = 0
    fields = ("position", "title", "anchor", "body")
    ordering = ("position",)


class StrengthInline(admin.TabularInline):
    model = Strength
    extra = 0
    fields = ("mg", "is_available")


def _missing_message(missing: list[str]) -> str:
    return "Saved as a draft, not published. It still needs: " + "; ".join(missing)


@admin.register(Drug)
class DrugAdmin(admin.ModelAdmin):
    list_display = (
        "generic_name",
        "product",
        "dosage_form",
        "route",
        "prescription_required",
        "status",
    )
    list_filter = ("status",)
    list_select_related = ("product",)
    inlines = (StrengthInline, MonographSectionInline)
    readonly_fields = ("product", "missing", "packs")
    fields = (
        "product",
        "generic_name",
        "brand_names",
        "dosage_form",
        "route",
        "prescription_required",
        "max_daily_dose_mg",
        "status",
        "missing",
        "packs",
    )

    def add_view(self, request, form_url="", extra_context=None):
        """One page: the drug, its packs and its monograph, saved as a draft."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = DrugCreateForm(request.POST or None, request.FILES or None)
        packs = PackFormSet(request.POST or None, prefix="packs")
        sections = SectionFormSet(request.POST or None, prefix="sections")
        if request.method == "POST" and all(
            f.is_valid() for f in (form, packs, sections)
        ):
            data = form.cleaned_data
            drug = drug_services.drug_create(
                generic_name=data["generic_name"],
                brand_names=data["brand_names"],
                dosage_form=data["dosage_form"],
                route=data["route"],
                prescription_required=data["prescription_required"],
                max_daily_dose_mg=data["max_daily_dose_mg"],
                description=data["description"],
                packs=packs.specs(),
                sections=sections.specs(),
                image=data["image"],
                draw_image=data["draw_image"],
            )
            self.log_addition(request, drug, [{"added": {}}])
            self._publish_if_asked(request, drug, "_publish" in request.POST)
            return HttpResponseRedirect(
                reverse("admin:catalogue_drug_change", args=[drug.pk])
            )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Add drug",
            "form": form,
            "packs": packs,
            "sections": sections,
        }
        return TemplateResponse(request, "admin/catalogue/drug/create.html", context)

    def _publish_if_asked(self, request, drug, publish: bool) -> None:
        if not publish:
            messages.success(request, f"{drug} was saved as a draft.")
            return
        try:
            drug_services.drug_status_set(drug=drug, status=DrugStatus.PUBLISHED)
        except drug_services.DrugIncomplete as incomplete:
            messages.error(request, _missing_message(incomplete.missing))
        else:
            messages.success(request, f"{drug} is published.")

    def save_model(self, request, obj, form, change):
        # The status changes after the strengths and sections are saved, so
        # that a section added on the same page counts towards completeness.
        obj._wanted_status = DrugStatus(obj.status)
        obj.status = form.initial.get("status", DrugStatus.DRAFT)
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        drug = form.instance
        wanted = drug._wanted_status
        if wanted == drug.status:
            return
        try:
            drug_services.drug_status_set(drug=drug, status=wanted)
        except drug_services.DrugIncomplete as incomplete:
            messages.error(request, _missing_message(incomplete.missing))

    @admin.display(description="Before publishing")
    def missing(self, obj):
        missing = drug_missing_items(drug=obj)
        if not missing:
            return "Complete: it can be published."
        return format_html(
            "It still needs:<ul>{}</ul>",
            format_html_join("", "<li>{}</li>", ((m,) for m in missing)),
        )

    @admin.display(description="Packs")
    def packs(self, obj):
        url = reverse("admin:catalogue_packprice_changelist")
        count = obj.product.children.count()
        return format_html(
            '{} pack{}. <a href="{}?product__parent__id__exact={}">Prices and '
            "stock in the price list</a>",
            count,
            "" if count == 1 else "s",
            url,
            obj.product_id,
        )
