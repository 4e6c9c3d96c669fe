"""Whatever staff change on an admin page shows on the product page at the next
request, though an anonymous visitor's page comes from the shared page cache:
every field the page shows, from the admin page that changes it."""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse

from catalog.models import Strength
from catalog.partner.models import StockRecord
from catalog.reviews.models import ProductReview
from tests.factories import UserFactory, make_drug

pytestmark = pytest.mark.django_db


def _value(bound_field):
    value = bound_field.value()
    if value is None or value is False:
        return None
    if value is True:
        return "on"
    return value


def change_form_data(response) -> dict:
    """The admin change form's fields as the page filled them in, inlines
    included: what a browser posts if nothing is changed."""
    forms = [response.context["adminform"].form]
    data = {}
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for name, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{name}"] = value
        forms += formset.forms
    for form in forms:
        for bound_field in form:
            value = _value(bound_field)
            if value is not None:
                data[bound_field.html_name] = value
    return data


def admin_change(client, url: str, **changes) -> None:
    """Post the change form at `url` with `changes` (a field's name as the
    form names it; None unticks a checkbox)."""
    data = change_form_data(client.get(url)) | changes
    response = client.post(url, {k: v for k, v in data.items() if v is not None})
    assert response.status_code == 302, response.context["adminform"].form.errors


@dataclass(frozen=True)
class Change:
    before: str
    after: str
    make: Callable  # (admin client, drug) -> None


def _record(drug, upc_end: str) -> StockRecord:
    return StockRecord.objects.get(
        product__parent=drug.product, product__upc__endswith=upc_end
    )


def _strength_page(client, drug, **changes):
    strength = Strength.objects.get(drug=drug, mg="25")
    url = reverse("admin:catalogue_strength_change", args=[strength.pk])
    admin_change(client, url, **changes)


def _drug_page(client, drug, **changes):
    admin_change(
        client, reverse("admin:catalogue_drug_change", args=[drug.pk]), **changes
    )


def _review_approved(client, drug):
    review = ProductReview.objects.get(product=drug.product)
    response = client.post(
        reverse("admin:reviews_productreview_changelist"),
        {"action": "approve_reviews", "_selected_action": [review.pk]},
    )
    assert response.status_code == 302


CHANGES = {
    "prescription required unticked": Change(
        before="Prescription only",
        after="",
        make=lambda client, drug: _drug_page(
            client,
            drug,
            prescription_required=None,
            reason="The manufacturer relabelled it (test)",
        ),
    ),
    "generic name": Change(
        before="Generic name</dt><dd>baclofen",
        after="Generic name</dt><dd>Baclofenum",
        make=lambda client, drug: _drug_page(client, drug, generic_name="Baclofenum"),
    ),
    "brand names": Change(
        before="Brandex",
        after="Lioresal, Gablofen",
        make=lambda client, drug: _drug_page(
            client, drug, brand_names="Lioresal, Gablofen"
        ),
    ),
    "monograph section": Change(
        before="Part 0",
        after="Before you take it",
        make=lambda client, drug: _drug_page(
            client, drug, **{"sections-0-title": "Before you take it"}
        ),
    ),
    # A published drug's strengths are switched on the Strengths page only
    # (the drug page's strengths are a draft's): catalog/drug_admin.py.
    "strength switched off (strength page)": Change(
        before='name="strength" value="25"',
        after="",
        make=lambda client, drug: _strength_page(client, drug, is_available=None),
    ),
    "approved markets": Change(
        before="",
        after="Not sold in the US",
        make=lambda client, drug: _strength_page(client, drug, approved_markets="GB"),
    ),
    "pack price (price list)": Change(
        before="$219.60",
        after="$199.90",
        make=lambda client, drug: admin_change(
            client,
            reverse(
                "admin:catalogue_packprice_change", args=[_record(drug, "-10-360").pk]
            ),
            price="199.90",
        ),
    ),
    "stock (stock records)": Change(
        before="",
        after="Out of stock",
        make=lambda client, drug: admin_change(
            client,
            reverse(
                "admin:partner_stockrecord_change", args=[_record(drug, "-10-30").pk]
            ),
            num_in_stock="0",
        ),
    ),
    "review approved": Change(
        before="",
        after="Worked well for my spasms",
        make=_review_approved,
    ),
}


@pytest.mark.parametrize("change", CHANGES.values(), ids=CHANGES.keys())
def test_an_admin_change_shows_on_the_cached_product_page_at_the_next_request(
    change, settings
):
    settings.PHARMACY_MARKET = "US"
    drug = make_drug(sections=1)
    ProductReview.objects.create(
        product=drug.product,
        score=5,
        title="Worked well for my spasms",
        body="Less stiffness within a week.",
        name="Sam",
        email="sam@example.com",
        status=ProductReview.FOR_MODERATION,
    )
    url = drug.product.get_absolute_url()
    visitor = Client()
    visitor.get(url)  # the shared page is stored
    before = visitor.get(url).content.decode()
    if change.before:
        assert change.before in before
    if change.after:
        assert change.after not in before

    admin = Client()
    admin.force_login(UserFactory(is_staff=True, is_superuser=True))
    change.make(admin, drug)

    after = visitor.get(url).content.decode()
    if change.before:
        assert change.before not in after
    if change.after:
        assert change.after in after
