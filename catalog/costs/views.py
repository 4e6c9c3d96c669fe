"""The public price list: a page, and the same rows as CSV and JSON."""

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.views.generic import TemplateView

from catalog.costs import price_list


class PriceListView(TemplateView):
    template_name = "catalog/price_list.html"

    def get_context_data(self, **kwargs):
        rows = price_list.price_list()
        drugs: dict[str, list] = {}
        for row in rows:
            drugs.setdefault(row.drug, []).append(row)
        return {**super().get_context_data(**kwargs), "drugs": drugs, "rows": rows}


def price_list_csv(request):
    body = price_list.price_list_csv(
        rows=price_list.price_list(), base_url=settings.PUBLIC_BASE_URL
    )
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="price-list.csv"'
    return response


def price_list_json(request):
    return JsonResponse(
        price_list.price_list_json(
            rows=price_list.price_list(),
            base_url=settings.PUBLIC_BASE_URL,
            pharmacy=settings.PHARMACY["name"],
        )
    )
