"""A catalogue editor finishes a draft in the admin (packs, prices, stock,
image, what it treats) so that search finds it by what it treats; deletes a
draft but never a published drug; and cannot add a drug twice."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from catalog import drug_services
from catalog.models import Drug, DrugStatus, Product
from catalog.partner.models import StockRecord
from pharmacy.staff.roles import CATALOGUE_EDITORS, PRICE_EDITORS
from tests.factories import make_drug, signed_in, staff_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(db, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    drug = make_drug(title="Tizanidine", prices={"2": {30: "18.00"}}, sections=1)
    drug.max_daily_dose_mg = Decimal("36")
    drug.status = DrugStatus.DRAFT
    drug.save()
    drug.product.is_public = False
    drug.product.save()
    return drug


@pytest.fixture
def editor(db):
    return signed_in(staff_in(CATALOGUE_EDITORS))


def packs_url(drug) -> str:
    return reverse("admin:catalogue_drug_packs", args=[drug.pk])


def change_url(drug) -> str:
    return reverse("admin:catalogue_drug_change", args=[drug.pk])


def the_pack(drug) -> StockRecord:
    """The draft's first pack, 2 mg in 30 tablets."""
    return StockRecord.objects.get(
        product__parent=drug.product, product__upc__endswith="-2-30"
    )


def shown_once(drug) -> None:
    """As if it had been published once: its clinical facts are locked."""
    drug_services.drug_draft_finish(
        drug=drug,
        actor=staff_in(CATALOGUE_EDITORS),
        pack_changes=[],
        new_packs=[],
        draw_image=True,
    )
    drug_services.drug_status_set(drug=drug, status=DrugStatus.PUBLISHED)


def finish(drug, **changes) -> dict:
    record = the_pack(drug)
    data = {
        f"pack-{record.pk}-price": "19.50",
        f"pack-{record.pk}-stock": "40",
        "packs-TOTAL_FORMS": "3",
        "packs-INITIAL_FORMS": "0",
        "packs-0-mg": "4",
        "packs-0-tablets": "30",
        "packs-0-price": "27.00",
        "packs-0-stock": "25",
        "draw_image": "on",
        **changes,
    }
    return {k: v for k, v in data.items() if v is not None}


def publish_form(drug, **changes) -> dict:
    section = drug.sections.get()
    return {
        "generic_name": drug.generic_name,
        "brand_names": "Zanaflex",
        "search_terms": "spasticity, muscle relaxant",
        "dosage_form": "tablet",
        "route": "oral",
        "prescription_required": "on",
        "max_daily_dose_mg": "36",
        "status": "published",
        "strengths-TOTAL_FORMS": "0",
        "strengths-INITIAL_FORMS": "0",
        "sections-TOTAL_FORMS": "1",
        "sections-INITIAL_FORMS": "1",
        "sections-0-id": str(section.pk),
        "sections-0-drug": str(drug.pk),
        "sections-0-position": "0",
        "sections-0-title": section.title,
        "sections-0-anchor": section.anchor,
        "sections-0-body": section.body,
        "_save": "Save",
        **changes,
    }


def test_an_editor_finishes_a_draft_and_shoppers_find_it_by_what_it_treats(
    editor, draft
):
    assert "Packs, prices, stock and image" in editor.get(change_url(draft)).text

    response = editor.post(packs_url(draft), finish(draft))

    assert response.status_code == 302
    assert the_pack(draft).price == Decimal("19.50")
    assert the_pack(draft).num_in_stock == 40
    titles = set(draft.product.children.values_list("title", flat=True))
    assert "Tizanidine 4 mg, 30 tablets" in titles
    assert draft.product.images.count() == 1
    editor.post(change_url(draft), publish_form(draft))
    draft.refresh_from_db()
    assert draft.status == DrugStatus.PUBLISHED
    found = Client().get(reverse("search:search"), {"q": "spasticity"})
    assert draft.product.get_absolute_url() in found.text


def test_a_pack_the_draft_has_already_is_refused_and_what_was_typed_stays(
    editor, draft
):
    response = editor.post(
        packs_url(draft),
        finish(draft, **{"packs-0-mg": "2", "packs-0-price": "99.00"}),
    )

    assert response.status_code == 200
    assert "This drug has that pack already" in response.text
    assert 'value="99.00"' in response.text
    assert the_pack(draft).price == Decimal("18.00")


def test_packs_of_a_published_drug_are_not_priced_here(editor, draft):
    shown_once(draft)

    assert editor.get(packs_url(draft)).status_code == 403
    assert editor.post(packs_url(draft), finish(draft)).status_code == 403
    assert the_pack(draft).price == Decimal("18.00")
    with pytest.raises(PermissionDenied):
        drug_services.drug_draft_finish(
            drug=draft,
            actor=staff_in(CATALOGUE_EDITORS),
            pack_changes=[],
            new_packs=[],
            draw_image=True,
        )


def test_a_price_editor_cannot_finish_a_draft(draft):
    client = signed_in(staff_in(PRICE_EDITORS))

    assert client.post(packs_url(draft), finish(draft)).status_code == 403
    assert the_pack(draft).price == Decimal("18.00")


def test_an_editor_deletes_a_draft_with_its_packs(editor, draft):
    delete = reverse("admin:catalogue_drug_delete", args=[draft.pk])
    assert editor.get(delete).status_code == 200

    response = editor.post(delete, {"post": "yes"})

    assert response.status_code == 302
    assert not Drug.objects.filter(pk=draft.pk).exists()
    assert not Product.objects.filter(upc__startswith=draft.product.upc).exists()


def test_a_drug_once_published_is_never_deleted(editor, draft):
    shown_once(draft)
    drug_services.drug_status_set(drug=draft, status=DrugStatus.DRAFT)
    delete = reverse("admin:catalogue_drug_delete", args=[draft.pk])

    assert editor.post(delete, {"post": "yes"}).status_code == 403
    with pytest.raises(PermissionDenied):
        drug_services.drug_draft_delete(drug=draft, actor=staff_in(CATALOGUE_EDITORS))
    assert Drug.objects.filter(pk=draft.pk).exists()


def test_a_second_drug_of_the_same_name_and_form_is_refused(editor, draft):
    data = {
        "generic_name": "TIZANIDINE",
        "dosage_form": "tablet",
        "route": "oral",
        "description": "Again.",
        "packs-TOTAL_FORMS": "6",
        "packs-INITIAL_FORMS": "0",
        "sections-TOTAL_FORMS": "4",
        "sections-INITIAL_FORMS": "0",
    }

    response = editor.post(reverse("admin:catalogue_drug_add"), data)

    assert response.status_code == 200
    assert "There is already a drug called tizanidine" in response.text
    assert Drug.objects.filter(generic_name__iexact="tizanidine").count() == 1
    other = make_drug(title="Baclofen", sections=1)
    renamed = editor.post(
        change_url(other), publish_form(other, generic_name="tizanidine")
    )
    assert "There is already a drug with this generic name" in renamed.text
    other.refresh_from_db()
    assert other.generic_name == "baclofen"
