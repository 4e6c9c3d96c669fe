"""Catalogue editors add a drug on one admin page: names, form, route,
prescription status, maximum daily dose, packs with prices and stock, monograph
and image. It is a draft until complete; then it is published and sold."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from oscar.core.loading import get_class

from catalog.drug_rules import drug_missing_items
from catalog.models import Drug, DrugStatus, Product
from catalog.partner.models import StockRecord
from pharmacy.staff.groups import staff_groups_ensure
from pharmacy.staff.roles import CATALOGUE_EDITORS, PRICE_EDITORS
from tests.factories import UserFactory, make_drug

pytestmark = pytest.mark.django_db

ADD = reverse("admin:catalogue_drug_add")
Selector = get_class("partner.strategy", "Selector")


@pytest.fixture
def editor_client(client):
    user = UserFactory(username="cat-editor", is_staff=True)
    user.groups.add(staff_groups_ensure()[CATALOGUE_EDITORS])
    client.force_login(user)
    return client


def tizanidine(**overrides) -> dict:
    data = {
        "generic_name": "Tizanidine",
        "brand_names": "Zanaflex",
        "dosage_form": "tablet",
        "route": "oral",
        "prescription_required": "on",
        "max_daily_dose_mg": "36",
        "description": "A muscle relaxant (alpha-2 adrenergic agonist) for spasticity.",
        "draw_image": "on",
        "packs-TOTAL_FORMS": "6",
        "packs-INITIAL_FORMS": "0",
        "sections-TOTAL_FORMS": "4",
        "sections-INITIAL_FORMS": "0",
    }
    packs = [("2", "30", "18.00", "50"), ("2", "90", "45.00", "50")]
    packs += [("4", "30", "27.00", "50"), ("4", "90", "69.00", "0")]
    for i, (mg, tablets, price, stock) in enumerate(packs):
        data |= {
            f"packs-{i}-mg": mg,
            f"packs-{i}-tablets": tablets,
            f"packs-{i}-price": price,
            f"packs-{i}-stock": stock,
        }
    data |= {
        "sections-0-title": "What it is for",
        "sections-0-body": "Spasticity.",
        "sections-1-title": "Side effects",
        "sections-1-body": "- drowsiness\n- dry mouth",
    }
    data |= overrides
    return {k: v for k, v in data.items() if v is not None}


def test_an_editor_adds_and_publishes_a_drug_that_shoppers_can_buy(
    editor_client, settings, tmp_path
):
    shopper = Client()
    settings.MEDIA_ROOT = str(tmp_path)

    response = editor_client.post(ADD, tizanidine(_publish="Save and publish"))

    drug = Drug.objects.get(generic_name="tizanidine")
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "admin:catalogue_drug_change", args=[drug.pk]
    )
    assert drug.status == DrugStatus.PUBLISHED
    assert drug.product.is_public
    assert drug.max_daily_dose_mg == Decimal("36")
    assert drug.prescription_required
    assert drug.sections.count() == 2
    assert drug.product.images.count() == 1
    prices = {
        r.product.title: (r.price, r.num_in_stock)
        for r in StockRecord.objects.filter(product__parent=drug.product)
    }
    assert prices["Tizanidine 2 mg, 30 tablets"] == (Decimal("18.00"), 50)
    assert prices["Tizanidine 4 mg, 90 tablets"] == (Decimal("69.00"), 0)
    strategy = Selector().strategy()
    buyable = {
        c.title
        for c in Product.objects.filter(parent=drug.product)
        if strategy.fetch_for_product(c).availability.is_available_to_buy
    }
    assert buyable == {
        "Tizanidine 2 mg, 30 tablets",
        "Tizanidine 2 mg, 90 tablets",
        "Tizanidine 4 mg, 30 tablets",
    }
    page = shopper.get(drug.product.get_absolute_url())
    assert page.status_code == 200
    assert "$18.00" in page.content.decode()
    assert "Side effects" in page.content.decode()
    assert "Tizanidine" in shopper.get(reverse("catalogue:index")).content.decode()
    found = shopper.get(reverse("search:search"), {"q": "tizanidine"})
    assert drug.product.get_absolute_url() in found.content.decode()


def test_an_incomplete_drug_stays_a_draft_and_its_page_says_what_is_missing(
    editor_client,
):
    shopper = Client()
    data = tizanidine(
        _publish="Save and publish",
        max_daily_dose_mg="",
        draw_image=None,
        **{"sections-0-title": "", "sections-0-body": ""},
        **{"sections-1-title": "", "sections-1-body": ""},
    )

    response = editor_client.post(ADD, data, follow=True)

    drug = Drug.objects.get(generic_name="tizanidine")
    assert drug.status == DrugStatus.DRAFT
    assert not drug.product.is_public
    html = response.content.decode()
    assert "not published" in html
    for item in ("a maximum daily dose", "a monograph section", "an image"):
        assert item in html
    assert "Tizanidine" not in shopper.get(reverse("catalogue:index")).content.decode()
    found = shopper.get(reverse("search:search"), {"q": "tizanidine"})
    assert drug.product.get_absolute_url() not in found.content.decode()
    assert shopper.get(drug.product.get_absolute_url()).status_code == 404


def test_publishing_from_the_drug_page_is_refused_until_complete(editor_client):
    editor_client.post(ADD, tizanidine(_draft="Save draft", max_daily_dose_mg=""))
    drug = Drug.objects.get(generic_name="tizanidine")
    change = reverse("admin:catalogue_drug_change", args=[drug.pk])
    form = {
        "generic_name": "tizanidine",
        "brand_names": "Zanaflex",
        "dosage_form": "tablet",
        "route": "oral",
        "prescription_required": "on",
        "status": "published",
        "strengths-TOTAL_FORMS": "0",
        "strengths-INITIAL_FORMS": "0",
        "sections-TOTAL_FORMS": "0",
        "sections-INITIAL_FORMS": "0",
    }
    assert drug_missing_items(drug=drug) == ["a maximum daily dose"]

    response = editor_client.post(change, form, follow=True)

    drug.refresh_from_db()
    assert drug.status == DrugStatus.DRAFT
    assert "It still needs: a maximum daily dose" in response.content.decode()

    editor_client.post(change, form | {"max_daily_dose_mg": "36"})

    drug.refresh_from_db()
    assert drug.status == DrugStatus.PUBLISHED
    assert drug.product.is_public


def test_the_same_pack_twice_is_refused(editor_client):
    data = tizanidine(
        **{
            "packs-4-mg": "2",
            "packs-4-tablets": "30",
            "packs-4-price": "1.00",
            "packs-4-stock": "1",
        }
    )

    response = editor_client.post(ADD, data)

    assert response.status_code == 200
    assert "Each strength and pack size once only." in response.content.decode()
    assert not Drug.objects.exists()


def test_a_pack_price_above_the_limit_is_refused(editor_client, settings):
    settings.PACK_PRICE_MAX = Decimal("10000.00")

    response = editor_client.post(ADD, tizanidine(**{"packs-0-price": "10000.01"}))

    assert response.status_code == 200
    assert "at most 10,000.00" in response.content.decode()
    assert not Drug.objects.exists()


def test_the_add_page_shows_every_part(editor_client):
    html = editor_client.get(ADD).content.decode()

    for label in (
        "Generic name",
        "Brand names",
        "Dosage form",
        "Route",
        "Prescription only",
        "Maximum daily dose (mg)",
        "Strength (mg)",
        "Pack price",
        "Packs in stock",
        "Section 1 title",
        "Draw the pack image",
    ):
        assert label in html


def test_a_price_editor_cannot_add_a_drug_and_keeps_exactly_their_rights(client):
    user = UserFactory(username="pe", is_staff=True)
    user.groups.add(staff_groups_ensure()[PRICE_EDITORS])
    client.force_login(user)

    assert client.get(ADD).status_code == 403
    assert client.post(ADD, tizanidine()).status_code == 403
    assert not Drug.objects.exists()
    perms = set(
        Permission.objects.filter(group__name=PRICE_EDITORS).values_list(
            "content_type__app_label", "codename"
        )
    )
    assert perms == {
        ("catalogue", "view_packprice"),
        ("catalogue", "change_packprice"),
        ("catalogue", "view_strength"),
        ("catalogue", "switch_strength"),
        ("catalogue", "view_historicalstrength"),
        ("partner", "view_historicalstockrecord"),
        # What each pack costs us, with its history (catalog/costs/).
        ("catalogue", "view_packcost"),
        ("catalogue", "add_packcost"),
        ("catalogue", "change_packcost"),
        ("catalogue", "view_historicalpackcost"),
    }


def test_withdrawing_a_published_drug_hides_it(editor_client):
    shopper = Client()
    drug = make_drug(title="Baclofen", sections=1)
    change = reverse("admin:catalogue_drug_change", args=[drug.pk])
    assert shopper.get(drug.product.get_absolute_url()).status_code == 200

    editor_client.post(
        change,
        {
            "generic_name": drug.generic_name,
            "dosage_form": "tablet",
            "route": "oral",
            "prescription_required": "on",
            "status": "draft",
            "strengths-TOTAL_FORMS": "0",
            "strengths-INITIAL_FORMS": "0",
            "sections-TOTAL_FORMS": "0",
            "sections-INITIAL_FORMS": "0",
        },
    )

    drug.refresh_from_db()
    assert drug.status == DrugStatus.DRAFT
    assert shopper.get(drug.product.get_absolute_url()).status_code == 404
