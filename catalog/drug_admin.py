"""The admin's Drugs pages: one page adds a drug with its packs, monograph and
image (as a draft); the drug's page edits it and publishes it once complete,
saying what is missing until then."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from catalog import clinical_facts, drug_services
from catalog.drug_forms import DrugCreateForm, PackFormSet, SectionFormSet
from catalog.drug_pages import DraftPacksPage
from catalog.drug_rules import drug_missing_items
from catalog.models import Drug, DrugStatus, MonographSection, Strength
from pharmacy.staff.roles import Perm, staff_may


class MonographSectionInline(admin.StackedInline):
    model = MonographSection
    extra = 0
    fields = ("position", "title", "anchor", "body")
    ordering = ("position",)


class StrengthInline(admin.StackedInline):
    """A draft's strengths. Once published, a strength is switched on or off
    and approved for markets on the Strengths page, by those roles. Stacked,
    so that each box has its label (a tabular inline's have none)."""

    model = Strength
    extra = 0
    fields = ("mg", "is_available")

    def _draft(self, obj) -> bool:
        return obj is None or not obj.clinical_facts_locked

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self._draft(obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._draft(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._draft(obj)


class DrugChangeForm(forms.ModelForm):
    reason = forms.CharField(
        required=False,
        label="Reason for a clinical change",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Needed when the prescription status or maximum daily dose "
        "changes; kept with the change.",
    )

    class Meta:
        model = Drug
        # The admin gives the form the fields this member of staff may edit.
        fields = ()
        labels = {"search_terms": "What it treats"}

    def clean(self):
        cleaned = super().clean()
        clinical = set(self.changed_data) & set(clinical_facts.CLINICAL_FACTS)
        locked = self.instance.pk and self.instance.clinical_facts_locked
        if clinical and locked and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", clinical_facts.REASON_NEEDED)
        return cleaned


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
    form = DrugChangeForm
    readonly_fields = ("product", "missing", "packs")
    fields = (
        "product",
        "generic_name",
        "brand_names",
        "search_terms",
        "dosage_form",
        "route",
        "prescription_required",
        "max_daily_dose_mg",
        "status",
        "missing",
        "packs",
    )
    # What a catalogue editor edits; the clinical facts follow their own rule.
    EDITOR_FIELDS = (
        "generic_name",
        "brand_names",
        "search_terms",
        "dosage_form",
        "route",
        "status",
    )

    def has_change_permission(self, request, obj=None):
        # A pharmacist opens a drug to change its clinical facts, nothing else.
        return super().has_change_permission(request, obj) or staff_may(
            request.user, Perm.CHANGE_CLINICAL_FACTS
        )

    def has_delete_permission(self, request, obj=None):
        # Only a draft that shoppers have never seen may go.
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or not obj.clinical_facts_locked)

    def get_actions(self, request):
        # Drafts are deleted one at a time, from their own page.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        locked = obj is not None and obj.clinical_facts_locked
        if locked and staff_may(request.user, Perm.CHANGE_CLINICAL_FACTS):
            fields.insert(fields.index("max_daily_dose_mg") + 1, "reason")
        return fields

    def get_readonly_fields(self, request, obj=None):
        readonly = list(self.readonly_fields)
        if not clinical_facts.clinical_facts_editable(user=request.user, drug=obj):
            readonly += clinical_facts.CLINICAL_FACTS
        if not staff_may(request.user, Perm.EDIT_DRUGS):
            readonly += self.EDITOR_FIELDS
        return readonly

    def get_deleted_objects(self, objs, request):
        # Deleting a draft takes its strengths, monograph and cautions with it;
        # the draft rule (drug_services.drug_draft_delete) decides, not each
        # of those models' delete permission.
        deleted, counts, _perms_needed, protected = super().get_deleted_objects(
            objs, request
        )
        return deleted, counts, set(), protected

    def delete_model(self, request, obj):
        drug_services.drug_draft_delete(drug=obj, actor=request.user)

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
                search_terms=data["search_terms"],
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
        stored = Drug.objects.get(pk=obj.pk)
        # The clinical facts are saved by their rule, which checks who and
        # records why; the rest of the drug is saved as usual.
        clinical = {
            f: form.cleaned_data[f]
            for f in clinical_facts.CLINICAL_FACTS
            if f in form.changed_data
        }
        for field in clinical_facts.CLINICAL_FACTS:
            setattr(obj, field, getattr(stored, field))
        # The status changes after the strengths and sections are saved, so
        # that a section added on the same page counts towards completeness.
        obj._wanted_status = DrugStatus(obj.status)
        obj.status = stored.status
        super().save_model(request, obj, form, change)
        clinical_facts.drug_clinical_facts_set(
            drug=obj,
            actor=request.user,
            reason=form.cleaned_data.get("reason", ""),
            **clinical,
        )

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
        count = obj.product.children.count()
        counted = f"{count} pack{'' if count == 1 else 's'}."
        if not obj.clinical_facts_locked:
            return format_html(
                '{} <a href="{}">Packs, prices, stock and image</a>',
                counted,
                reverse("admin:catalogue_drug_packs", args=[obj.pk]),
            )
        url = reverse("admin:catalogue_packprice_changelist")
        return format_html(
            '{} <a href="{}?product__parent__id__exact={}">Prices and '
            "stock in the price list</a>",
            counted,
            url,
            obj.product_id,
        )

    def get_urls(self):
        packs = path(
            "<path:object_id>/packs/",
            self.admin_site.admin_view(self.draft_packs_view),
            name="catalogue_drug_packs",
        )
        return [packs, *super().get_urls()]

    def draft_packs_view(self, request, object_id):
        """A draft's packs (prices and stock), new packs and its image, on one
        page, until it is first published."""
        drug = self.get_object(request, object_id)
        if drug is None:
            raise Http404
        if drug.clinical_facts_locked or not staff_may(request.user, Perm.EDIT_DRUGS):
            raise PermissionDenied
        page = DraftPacksPage(request, drug)
        if request.method == "POST" and page.is_valid():
            drug_services.drug_draft_finish(
                drug=drug, actor=request.user, **page.changes()
            )
            messages.success(request, f"The packs and image of {drug} are saved.")
            return HttpResponseRedirect(
                reverse("admin:catalogue_drug_change", args=[drug.pk])
            )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": drug,
            "title": f"Packs and image: {drug.product.title}",
            "page": page,
        }
        return TemplateResponse(request, "admin/catalogue/drug/packs.html", context)
