"""The pharmacist's admin pages for a drug's clinical facts: its cautions
(the words the clinical flags look for), each change given a reason, and the
record of every clinical change (catalog/clinical_facts.py)."""

from django import forms
from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.urls import reverse

from catalog import clinical_facts
from catalog.models import ClinicalFactChange, DrugCaution
from pharmacy.core.read_only_admin import ReadOnlyAdmin


class DrugCautionForm(forms.ModelForm):
    reason = forms.CharField(
        label="Reason for the change",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Kept with the change, with your name and the time.",
        error_messages={"required": clinical_facts.REASON_NEEDED},
    )
    remove = forms.BooleanField(
        required=False,
        label="Remove this caution",
        help_text="The flags stop looking for this word.",
    )

    class Meta:
        model = DrugCaution
        fields = ("drug", "kind", "category", "term", "advice")


@admin.register(DrugCaution)
class DrugCautionAdmin(admin.ModelAdmin):
    class Media:
        css = {"all": ["css/admin-catalogue.css"]}

    form = DrugCautionForm
    list_display = ("term", "category", "kind", "drug", "advice")
    list_filter = ("drug", "kind")
    search_fields = ("term", "category")
    list_select_related = ("drug",)

    def get_fields(self, request, obj=None):
        fields = ["drug", "kind", "category", "term", "advice", "reason"]
        return fields + ["remove"] if obj is not None else fields

    def get_readonly_fields(self, request, obj=None):
        return ("drug",) if obj is not None else ()

    def has_delete_permission(self, request, obj=None):
        # Removed on the caution's own page, with a reason, never silently.
        return False

    def save_model(self, request, obj, form, change):
        clinical_facts.drug_caution_save(
            caution=obj,
            actor=request.user,
            reason=form.cleaned_data["reason"],
            remove=form.cleaned_data.get("remove", False),
        )

    def response_change(self, request, obj):
        if DrugCaution.objects.filter(pk=obj.pk).exists():
            return super().response_change(request, obj)
        messages.success(request, f"The caution '{obj.term}' was removed.")
        return HttpResponseRedirect(reverse("admin:catalogue_drugcaution_changelist"))


@admin.register(ClinicalFactChange)
class ClinicalFactChangeAdmin(ReadOnlyAdmin):
    """Who changed which clinical fact of a drug, when, from what to what, and
    why. Read-only: only catalog/clinical_facts.py writes these."""

    class Media:
        css = {"all": ["css/admin-catalogue.css"]}

    list_display = ("changed_at", "drug", "fact", "old_value", "new_value", "reason")
    list_filter = ("drug", "fact")
    list_select_related = ("drug", "changed_by")
    fields = (
        "drug",
        "fact",
        "old_value",
        "new_value",
        "reason",
        "changed_by",
        "changed_at",
    )
    date_hierarchy = "changed_at"
