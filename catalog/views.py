from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.contrib import messages
from django.http import (
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
)
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.http import urlencode
from django.views.generic import ListView, TemplateView
from oscar.apps.basket.views import BasketAddView
from oscar.apps.catalogue.views import ProductDetailView as OscarProductDetailView
from oscar.apps.offer.models import ConditionalOffer
from oscar.templatetags.currency_filters import currency

from catalog import price_chart, search, selectors
from catalog.costs import selectors as cost_selectors
from catalog.forms import VariantChoiceForm
from catalog.models import Product
from catalog.page_cache import SharedPageCacheMixin
from catalog.partner import strategy as purchase
from catalog.reviews import selectors as review_selectors
from catalog.reviews.forms import ProductReviewForm

# Highest page number a shared page is stored for; deeper pages render fresh.
MAX_CACHED_PAGE = 50


def page_number(value: str) -> bool:
    return value.isdigit() and 1 <= int(value) <= MAX_CACHED_PAGE


def review_sort(value: str) -> bool:
    return value in review_selectors.SORTS


def _browsable_products():
    return Product.objects.browsable().select_related("drug", "product_class")


class ProductDetailView(SharedPageCacheMixin, OscarProductDetailView):
    """Oscar's product page, with the price table and monograph of a drug."""

    cached_params = {"sort": review_sort, "reviews_page": page_number}
    # The no-JavaScript pack preview: many combinations, rarely visited.
    uncached_params = frozenset({"strength", "pack"})

    def redirect_if_necessary(self, current_path, product):
        # A pack has no page of its own: show the drug with that pack chosen.
        if product.is_child:
            variant = selectors.variant_facts(product=product)
            url = product.parent.get_absolute_url()
            if variant:
                url += "?" + urlencode({"strength": variant[0], "pack": variant[1]})
            return HttpResponsePermanentRedirect(url)
        return super().redirect_if_necessary(current_path, product)

    def get_queryset(self):
        return Product.objects.select_related(
            "drug", "parent", "product_class"
        ).prefetch_related("images")

    def get_alert_status(self):
        # No stock alerts: every pack is stocked by the pharmacy.
        return False

    def get_alert_form(self):
        return None

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        product = self.object
        table = selectors.product_price_table(product=product)
        ctx["price_table"] = table
        ctx["price_chart"] = price_chart.price_chart(table=table)
        ctx["selected"] = self._selected_variant(table)
        breakdowns = cost_selectors.pack_breakdowns(variants=table.variants)
        if ctx["selected"] is not None:
            ctx["breakdown"] = breakdowns.get(ctx["selected"].product_id)
        ctx["variant_data"] = _variant_json(table, breakdowns=breakdowns)
        ctx["max_quantity"] = settings.OSCAR_MAX_BASKET_QUANTITY_THRESHOLD
        drug = getattr(product, "drug", None)
        ctx["drug"] = drug
        ctx["sections"] = selectors.monograph_sections(drug=drug) if drug else []
        ctx.update(self._reviews_context(product))
        return ctx

    def _reviews_context(self, product) -> dict:
        summary = review_selectors.review_summary(product=product)
        sort = self.request.GET.get("sort", "newest")
        sort = sort if sort in review_selectors.SORTS else "newest"
        try:
            page = int(self.request.GET.get("reviews_page", 1))
        except ValueError:
            page = 1
        pages = review_selectors.page_count(total=summary.count)
        page = min(max(page, 1), pages)
        return {
            "review_summary": summary,
            "reviews": review_selectors.approved_reviews(
                product=product, sort=sort, page=page, total=summary.count
            ),
            "review_sort": sort,
            "review_sorts": review_selectors.SORT_LABELS,
            "reviews_page": page,
            "reviews_pages": range(1, pages + 1) if pages > 1 else [],
            "review_form": ProductReviewForm(product=product, user=self.request.user),
        }

    def _selected_variant(self, table):
        """The pack named by ?strength=&pack= (the no-JavaScript path), if on sale."""
        try:
            strength = selectors.canonical_mg(
                Decimal(self.request.GET.get("strength", ""))
            )
            pack = int(self.request.GET.get("pack", ""))
        except (InvalidOperation, ValueError):
            return table.default
        variant = table.get(strength_mg=strength, tablets=pack)
        if variant is None or not variant.strength_available:
            return table.default
        return variant


def _variant_json(table: selectors.PriceTable, *, breakdowns: dict) -> dict:
    """What the page's script needs to show a pack's prices without a reload;
    formatted here from the same prices the basket charges."""
    return {
        v.key: {
            **_breakdown_json(breakdowns.get(v.product_id), currency_code=v.currency),
            "label": f"{v.strength_mg} mg, {v.tablets} tablets",
            "pack_price": currency(v.pack_price, v.currency),
            "per_tablet": currency(v.per_tablet, v.currency),
            "saving_line": (
                f"You save {currency(v.saving, v.currency)} ({v.saving_percent}%) "
                f"against the {v.base_tablets}-tablet pack"
                if v.has_saving
                else "Smallest pack: no multi-pack saving"
            ),
            "stock": "In stock" if v.is_available else "Out of stock",
            "available": v.is_available,
        }
        for v in table.variants
        if v.strength_available
    }


def _breakdown_json(breakdown, *, currency_code: str) -> dict:
    if breakdown is None:
        return {"breakdown": False}
    return {
        "breakdown": True,
        "cost": currency(breakdown.acquisition_cost, currency_code),
        "fee": currency(breakdown.pharmacy_fee, currency_code),
        "margin": currency(breakdown.margin, currency_code),
        "delivery": currency(breakdown.delivery, currency_code),
        "total": currency(breakdown.total, currency_code),
    }


class VariantBasketAddView(BasketAddView):
    """Adds the pack chosen by strength and pack size, through Oscar's own
    basket form and availability rules."""

    def post(self, request, *args, **kwargs):
        # Longer than any id the database holds: a drug that is not there.
        parent_id = int(kwargs["pk"]) if len(kwargs["pk"]) <= 18 else 0
        choice = VariantChoiceForm(request.POST)
        if not choice.is_valid():
            parent_url = self._parent_url(parent_id)
            for errors in choice.errors.values():
                messages.error(request, " ".join(errors))
            return HttpResponseRedirect(parent_url)
        strength = selectors.canonical_mg(choice.cleaned_data["strength"])
        pack_size = choice.cleaned_data["pack"]
        # What enters a basket is checked against the catalogue as it is in
        # the database: the pack with its stock record and its strength, and
        # the strategy says whether it is on sale (Oscar's form then checks
        # stock and quantity).
        pack = selectors.pack_to_add(
            parent_id=parent_id, strength_mg=strength, tablets=pack_size
        )
        if pack is None:
            return self._refused(self._parent_url(parent_id), refusal=None)
        stockrecord = request.strategy.select_stockrecord(pack)
        if not request.strategy.status(pack, stockrecord).shown:
            return self._refused(
                pack.parent.get_absolute_url(),
                refusal=request.strategy.market_refusal(pack),
            )
        if "preview" in request.POST:
            query = urlencode({"strength": f"{strength:f}", "pack": pack_size})
            return HttpResponseRedirect(f"{pack.parent.get_absolute_url()}?{query}#buy")
        self.pack = pack
        # Oscar's post reads the product named by the URL's pk: the pack.
        return super().post(request, *args, **{**kwargs, "pk": pack.pk})

    def get_form_kwargs(self):
        # Oscar's form, given the pack as read above (with its stock records
        # and facts) rather than Oscar's plain read of it.
        return {**super().get_form_kwargs(), "product": self.pack}

    @staticmethod
    def _parent_url(pk: int) -> str:
        """The drug's page; not found unless it is a browsable product."""
        return get_object_or_404(Product.objects.browsable(), pk=pk).get_absolute_url()

    def _refused(self, parent_url: str, *, refusal: str | None):
        messages.error(
            self.request,
            purchase.NotSoldInMarket(refusal).message
            if refusal
            else "Sorry, that strength and pack size is not available. "
            "Please choose another.",
        )
        return HttpResponseRedirect(parent_url)

    def form_valid(self, form):
        """Oscar's, less the basket-total and offer messages while the shop has
        no offers: the shopper lands on the basket page, which shows the total."""
        if ConditionalOffer.objects.exists():
            return super().form_valid(form)
        options = form.cleaned_options() if form.product.has_options else []
        self.line, self.line_created = self.request.basket.add_product(
            form.product, form.cleaned_data["quantity"], options
        )
        messages.success(
            self.request, self.get_success_message(form), extra_tags="safe noicon"
        )
        self.add_signal.send(
            sender=self,
            product=form.product,
            user=self.request.user,
            request=self.request,
        )
        return HttpResponseRedirect(self.get_success_url())

    def form_invalid(self, form):
        for errors in form.errors.values():
            messages.error(self.request, " ".join(errors))
        return HttpResponseRedirect(self.pack.parent.get_absolute_url())

    def get_success_url(self):
        return reverse("basket:summary")


class CatalogueView(SharedPageCacheMixin, ListView):
    """Replaces Oscar's search-backed listing with a plain one that prices each
    drug in a fixed number of queries."""

    template_name = "catalog/browse.html"
    context_object_name = "products"
    paginate_by = 20
    cached_params = {"page": page_number}

    def get_queryset(self):
        return _browsable_products().prefetch_related("images").order_by("title")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        products = list(ctx["products"])
        tables = selectors.price_tables_for(products=products)
        ctx["cards"] = [(p, tables[p.pk]) for p in products]
        ctx["summary"] = "All medicines"
        return ctx


class HomeView(CatalogueView):
    template_name = "pages/home.html"
    paginate_by = 6


class SearchView(TemplateView):
    """Medicines matching the shopper's words, as catalogue cards."""

    template_name = "catalog/search.html"
    per_page = 20

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        text = self.request.GET.get("q", "").strip()
        try:
            page = max(int(self.request.GET.get("page", 1)), 1)
        except ValueError:
            page = 1
        results = search.products_search(
            text=text, limit=self.per_page, offset=(page - 1) * self.per_page
        )
        ctx.update(
            query=text,
            results=results,
            cards=results.cards,
            page=page,
            has_next=results.count > page * self.per_page,
        )
        return ctx
