"""The admin's "Add drug" page: the drug's facts, its packs and its monograph
on one form. Blank rows are skipped, so the page needs no script to add rows."""

from decimal import Decimal

from django import forms
from django.conf import settings

from catalog.drug_services import PackSpec, SectionSpec, drug_duplicate_exists
from catalog.models import DosageForm, Route


class DrugCreateForm(forms.Form):
    generic_name = forms.CharField(max_length=120, help_text="e.g. tizanidine")
    brand_names = forms.CharField(
        max_length=255, required=False, help_text="Comma-separated, e.g. Zanaflex"
    )
    search_terms = forms.CharField(
        required=False,
        label="What it treats",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="The conditions it treats and its class, as shoppers search for "
        "them, e.g. spasticity, muscle relaxant, multiple sclerosis",
    )
    dosage_form = forms.ChoiceField(choices=DosageForm.choices)
    route = forms.ChoiceField(choices=Route.choices)
    prescription_required = forms.BooleanField(
        required=False, initial=True, label="Prescription only"
    )
    max_daily_dose_mg = forms.DecimalField(
        max_digits=8,
        decimal_places=2,
        min_value=Decimal("0.01"),
        required=False,
        label="Maximum daily dose (mg)",
    )
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
    image = forms.ImageField(required=False, help_text="A photo of the pack")
    draw_image = forms.BooleanField(
        required=False,
        initial=True,
        label="Draw the pack image",
        help_text="Used when no image is uploaded",
    )

    def clean(self):
        cleaned = super().clean()
        name, form = cleaned.get("generic_name"), cleaned.get("dosage_form")
        if name and form and drug_duplicate_exists(generic_name=name, dosage_form=form):
            self.add_error(
                "generic_name",
                f"There is already a drug called {name.strip().lower()} in the form "
                f"{DosageForm(form).label.lower()}: open it from the list of drugs "
                "and add to it there.",
            )
        return cleaned


class PackForm(forms.Form):
    mg = forms.DecimalField(
        max_digits=7, decimal_places=2, min_value=Decimal("0.01"), label="Strength (mg)"
    )
    tablets = forms.IntegerField(min_value=1, max_value=10000, label="Tablets per pack")
    price = forms.DecimalField(
        max_digits=12, decimal_places=2, min_value=Decimal("0.01"), label="Pack price"
    )
    stock = forms.IntegerField(min_value=0, label="Packs in stock")

    def clean_price(self):
        price = self.cleaned_data["price"]
        if price > settings.PACK_PRICE_MAX:
            raise forms.ValidationError(
                f"The price can be at most {settings.PACK_PRICE_MAX:,.2f}."
            )
        return price

    def spec(self) -> PackSpec:
        return PackSpec(**self.cleaned_data)


class BasePackFormSet(forms.BaseFormSet):
    def clean(self):
        seen = set()
        for form in self.forms:
            if not form.has_changed() or not form.is_valid():
                continue
            key = (form.cleaned_data["mg"], form.cleaned_data["tablets"])
            if key in seen:
                raise forms.ValidationError("Each strength and pack size once only.")
            seen.add(key)

    def specs(self) -> list[PackSpec]:
        return [f.spec() for f in self.forms if f.has_changed()]


class SectionForm(forms.Form):
    title = forms.CharField(max_length=120)
    body = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Blank lines separate paragraphs; lines starting with '- ' "
        "form a list.",
    )

    def spec(self) -> SectionSpec:
        return SectionSpec(**self.cleaned_data)


class BaseSectionFormSet(forms.BaseFormSet):
    def specs(self) -> list[SectionSpec]:
        return [f.spec() for f in self.forms if f.has_changed()]


PackFormSet = forms.formset_factory(PackForm, formset=BasePackFormSet, extra=6)
SectionFormSet = forms.formset_factory(SectionForm, formset=BaseSectionFormSet, extra=4)


class ExistingPackForm(forms.Form):
    """A draft's pack: its price and stock may still change."""

    price = forms.DecimalField(
        max_digits=12, decimal_places=2, min_value=Decimal("0.01"), label="Pack price"
    )
    stock = forms.IntegerField(min_value=0, label="Packs in stock")

    def clean_price(self):
        return PackForm.clean_price(self)


class DraftImageForm(forms.Form):
    image = forms.ImageField(required=False, help_text="A photo of the pack")
    draw_image = forms.BooleanField(
        required=False,
        label="Draw the pack image",
        help_text="Used when the drug has no image and none is uploaded",
    )


NewPackFormSet = forms.formset_factory(PackForm, formset=BasePackFormSet, extra=3)
