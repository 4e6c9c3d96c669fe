from decimal import Decimal

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.db.models import OuterRef, Subquery
from django.utils.html import format_html, format_html_join
from oscar.apps.catalogue.admin import *  # noqa: F403  Oscar's own catalogue admin
from simple_history.admin import SimpleHistoryAdmin

from catalog import markets, pricing, selectors, strength_services
from catalog.clinical_admin import DrugCautionAdmin  # noqa: F401  registers it
from catalog.costs import admin as cost_admin  # noqa: F401  registers pack costs
from catalog.costs.breakdown import price_breakdown
from catalog.costs.models import PackCost
from catalog.drug_admin import DrugAdmin  # noqa: F401  registers the Drugs page
from catalog.models import (
    PackPrice,
    ProductAttributeValue,
    Strength,
)
from catalog.partner import strategy as purchase
from catalog.partner.models import StockRecord
from pharmacy.core.read_only_admin import ReadOnlyAdmin

HistoricalStockRecord = StockRecord.history.model


class StrengthForm(forms.ModelForm):
    class Meta:
        model = Strength
        fields = ("is_available", "approved_markets")

    def clean_approved_markets(self):
        codes = markets.parse_markets(self.cleaned_data["approved_markets"])
        wrong = sorted(c for c in codes if not (len(c) == 2 and c.isalpha()))
        if wrong:
            raise forms.ValidationError(
                "Give two-letter country codes separated by commas, e.g. US,GB "
                f"(not {', '.join(wrong)})."
            )
        return strength_services.markets_normalised(",".join(codes))


@admin.register(Strength)
class StrengthAdmin(SimpleHistoryAdmin):
    """Where a strength is switched on or off, and where it is approved. Each
    field is one role's (catalog/strength_services.py): the form offers a
    member of staff only their own, and the save checks again."""

    class Media:
        css = {"all": ["css/admin-catalogue.css"]}

    form = StrengthForm
    list_display = ("drug", "strength", "is_available", "approved_markets")
    # The list's quick switch is the price editors'; markets change on the
    # strength's page, where their history is.
    list_editable = ("is_available",)
    list_filter = ("is_available", "drug")
    list_select_related = ("drug",)
    fields = ("drug", "mg", "is_available", "approved_markets")

    @admin.display(description="Strength", ordering="mg")
    def strength(self, obj):
        return f"{selectors.canonical_mg(obj.mg)} mg"

    def has_add_permission(self, request):
        # Strengths come with their packs, on the drug's pages.
        return False

    def has_change_permission(self, request, obj=None):
        # Without an object this asks about the list, whose only editable
        # column is the switch.
        editable = strength_services.strength_fields_editable(user=request.user)
        if obj is None:
            return request.user.is_staff and "is_available" in editable
        return request.user.is_staff and bool(editable)

    def get_readonly_fields(self, request, obj=None):
        editable = strength_services.strength_fields_editable(user=request.user)
        return ("drug", "mg") + tuple(
            f for f in strength_services.STRENGTH_FIELD_PERMS if f not in editable
        )

    def save_model(self, request, obj, form, change):
        strength_services.strength_update(
            strength=obj,
            actor=request.user,
            changes={f: form.cleaned_data[f] for f in form.changed_data},
        )


class PriceInput(forms.TextInput):
    """The price box; after a change of more than 5 times it also offers the
    checkbox that confirms it."""

    ask_confirmation = False

    def render(self, name, value, attrs=None, renderer=None):
        html = super().render(name, value, attrs, renderer)
        if not self.ask_confirmation:
            return html
        return html + format_html(
            '<label class="price-confirm"><input type="checkbox" name="{}" '
            'value="yes"> Yes, this price is right</label>',
            name + CONFIRM_SUFFIX,
        )


CONFIRM_SUFFIX = "-confirm"


class PackPriceForm(forms.ModelForm):
    class Meta:
        model = PackPrice
        fields = ("price",)
        widgets = {"price": PriceInput(attrs={"size": 10})}

    def clean_price(self):
        price = self.cleaned_data.get("price")
        if price is None:
            raise forms.ValidationError("Every pack needs a price.")
        if price <= 0:
            raise forms.ValidationError("The price must be more than zero.")
        limit = settings.PACK_PRICE_MAX
        if pricing.price_above_limit(price=price, limit=limit):
            raise forms.ValidationError(
                f"The price can be at most {limit:,.2f}; check for a typo."
            )
        old = self.initial.get("price") if self.instance.pk else None
        confirmed = self.data.get(self.add_prefix("price") + CONFIRM_SUFFIX) == "yes"
        if pricing.price_change_needs_confirming(old=old, new=price) and not confirmed:
            self.fields["price"].widget.ask_confirmation = True
            raise forms.ValidationError(
                f"That is more than 5 times the old price or below a fifth of it "
                f"({old} to {price}). Tick the box to confirm it."
            )
        return price


@admin.register(PackPrice)
class PackPriceAdmin(admin.ModelAdmin):
    """The price list: every pack, its price editable in place, the rest derived."""

    form = PackPriceForm
    list_display = (
        "drug",
        "strength",
        "pack_size",
        "price",
        "per_tablet",
        "availability",
        "num_in_stock",
        "cost_check",
    )
    list_display_links = ("drug",)
    list_editable = ("price",)
    list_filter = ("product__parent",)
    list_per_page = 200
    count_words = ("pack", "packs")  # "0 price list" otherwise
    fields = (
        "drug",
        "strength",
        "pack_size",
        "price",
        "per_tablet",
        "availability",
        "num_in_stock",
        "price_history",
    )
    readonly_fields = (
        "drug",
        "strength",
        "pack_size",
        "per_tablet",
        "availability",
        "num_in_stock",
        "price_history",
    )

    def get_ordering(self, request):
        # By strength and pack size as numbers: "30 tablets" before "120 tablets".
        return ("product__parent__title", "sort_strength", "sort_tablets")

    def get_queryset(self, request):
        def attribute(code, column):
            return Subquery(
                ProductAttributeValue.objects.filter(
                    product=OuterRef("product"), attribute__code=code
                ).values(column)[:1]
            )

        # Annotate before ordering, which sorts on the annotations.
        return (
            PackPrice.objects.filter(product__parent__isnull=False)
            .annotate(
                sort_strength=attribute(selectors.STRENGTH_ATTR, "value_float"),
                sort_tablets=attribute(selectors.TABLETS_ATTR, "value_integer"),
                acquisition_cost=Subquery(
                    PackCost.objects.filter(pack=OuterRef("product")).values(
                        "acquisition_cost"
                    )[:1]
                ),
            )
            .select_related("product__parent")
            .prefetch_related(selectors.pack_facts_prefetch("product"))
            .order_by(*self.get_ordering(request))
        )

    def get_changelist_form(self, request, **kwargs):
        # The in-place editor builds its own form; it must validate like the page.
        kwargs.setdefault("form", PackPriceForm)
        return super().get_changelist_form(request, **kwargs)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_changelist_instance(self, request):
        cl = super().get_changelist_instance(request)
        # The strategy decides each row's availability, from the strengths
        # of every drug on the page read in one query.
        decider = purchase.Default().strengths_read(
            drug_product_ids={record.product.parent_id for record in cl.result_list}
        )
        for record in cl.result_list:
            self._annotate(record, decider)
        return cl

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:
            self._annotate(obj, purchase.Default())
        return obj

    @staticmethod
    def _annotate(record, decider):
        record.facts = selectors.variant_facts(product=record.product)
        record.status = decider.status(record.product, record)

    @admin.display(description="Drug", ordering="product__parent__title")
    def drug(self, obj):
        return obj.product.parent.title

    @admin.display(description="Strength")
    def strength(self, obj):
        return f"{obj.facts[0]} mg" if obj.facts else "-"

    @admin.display(description="Pack size")
    def pack_size(self, obj):
        return f"{obj.facts[1]} tablets" if obj.facts else "-"

    @admin.display(description="Per tablet (derived)")
    def per_tablet(self, obj):
        if not obj.facts or obj.price is None:
            return "-"
        return (
            f"${pricing.per_tablet_price(pack_price=obj.price, tablets=obj.facts[1])}"
        )

    @admin.display(description="Margin after cost and fee")
    def cost_check(self, obj):
        """What is left of the price after what we pay and the pharmacy fee;
        a pack sold below them is flagged, never hidden."""
        if obj.acquisition_cost is None or obj.price is None:
            return "No cost recorded"
        breakdown = _pack_breakdown(price=obj.price, cost=obj.acquisition_cost)
        if breakdown.below_cost:
            return format_html(
                '<strong class="flag-below-cost">Below cost and fee: {}</strong>',
                breakdown.margin,
            )
        return f"${breakdown.margin}"

    @admin.display(description="Availability")
    def availability(self, obj):
        return obj.status.label

    @admin.display(description="Price history")
    def price_history(self, obj):
        rows = price_changes().filter(id=obj.pk)[:20]
        if not rows:
            return "No changes yet."
        return format_html(
            "<table><thead><tr><th>When</th><th>Who</th><th>Old price</th>"
            "<th>New price</th></tr></thead><tbody>{}</tbody></table>",
            format_html_join(
                "",
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                (
                    (
                        r.history_date.strftime("%Y-%m-%d %H:%M"),
                        r.history_user or "system",
                        (
                            pricing.to_cents(r.old_price)
                            if r.old_price is not None
                            else "(created)"
                        ),
                        r.price,
                    )
                    for r in rows
                ),
            ),
        )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        self._warn_if_larger_pack_dearer(request, obj)
        self._warn_if_below_cost(request, obj)

    @staticmethod
    def _warn_if_below_cost(request, obj):
        cost = PackCost.objects.filter(pack=obj.product).first()
        if cost is None:
            return
        breakdown = _pack_breakdown(price=obj.price, cost=cost.acquisition_cost)
        if breakdown.below_cost:
            messages.warning(
                request,
                f"Saved, but {obj.product.title} now sells below what we pay "
                f"(${breakdown.acquisition_cost}) plus the pharmacy fee "
                f"(${breakdown.pharmacy_fee}): the margin is ${breakdown.margin}.",
            )

    def _warn_if_larger_pack_dearer(self, request, obj):
        facts = selectors.variant_facts(product=obj.product)
        if facts is None:
            return
        table = selectors.product_price_table(product=obj.product.parent)
        same_strength = [
            (v.tablets, v.pack_price)
            for v in table.variants
            if v.strength_mg == facts[0]
        ]
        for small, large in pricing.per_tablet_inversions(packs=same_strength):
            if facts[1] in (small, large):
                messages.warning(
                    request,
                    f"Saved, but check it: {obj.product.parent.title} {facts[0]} mg "
                    f"in packs of {large} now costs more per tablet than packs of "
                    f"{small}.",
                )


def _pack_breakdown(*, price, cost):
    """The pack's price split as the product page splits it (delivery aside)."""
    return price_breakdown(
        pack_price=price,
        acquisition_cost=cost,
        pharmacy_fee=settings.PHARMACY_FEE,
        delivery=Decimal("0.00"),
    )


def price_changes():
    """Price history rows with the price each replaced, in one query."""
    previous = HistoricalStockRecord.objects.filter(
        id=OuterRef("id"), history_date__lt=OuterRef("history_date")
    ).order_by("-history_date")
    return (
        HistoricalStockRecord.objects.annotate(
            old_price=Subquery(previous.values("price")[:1])
        )
        .select_related("history_user", "product")
        .order_by("-history_date")
    )


@admin.register(HistoricalStockRecord)
class PriceChangeAdmin(ReadOnlyAdmin):
    """Who changed which price, when, from what to what. Read-only."""

    list_display = ("history_date", "history_user", "product", "old_price", "price")
    list_filter = ("history_user",)
    date_hierarchy = "history_date"

    def get_queryset(self, request):
        return price_changes()

    @admin.display(description="Old price")
    def old_price(self, obj):
        # SQLite returns subquery decimals unrounded (38.7000000000000).
        return (
            pricing.to_cents(obj.old_price)
            if obj.old_price is not None
            else "(created)"
        )
