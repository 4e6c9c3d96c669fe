"""The accessible label: what the QR code on the printed label opens, in
large type for screen readers and magnifiers. The signed link is the only
key (links.py); a forged or expired one is a plain 404."""

from django.http import Http404
from django.template.response import TemplateResponse
from django.views.decorators.cache import never_cache

from checkout.dispensing.labels import content, links
from checkout.dispensing.stock.models import Fill


@never_cache
def accessible_label_view(request, token: str):
    fill_id = links.label_fill_id(token=token)
    fill = Fill.objects.select_related("order__patient").filter(pk=fill_id).first()
    if fill is None:
        raise Http404
    label = content.label_of(fill=fill)
    response = TemplateResponse(
        request,
        "dispensing/accessible_label.html",
        {"label": label, "leaflet": content.leaflet_of(drug_id=label.drug_id)},
    )
    # Health data: never kept by a shared cache or sent on as a referrer.
    response["Referrer-Policy"] = "no-referrer"
    return response
