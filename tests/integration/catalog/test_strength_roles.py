"""Which markets a strength is approved in is a regulatory decision (the
superintendent's or the pharmacist's); price editors switch strengths on and
off and nothing more. Tried from the strength's page, the list, a forged POST
and the service itself."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from catalog import strength_services
from catalog.models import Strength
from catalog.partner import strategy as purchase
from pharmacy.staff.roles import PHARMACISTS, PRICE_EDITORS, SUPERINTENDENTS
from tests.factories import make_drug, signed_in, staff_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def strength_25(db):
    drug = make_drug(prices={"10": {30: "38.70"}, "25": {30: "101.70"}})
    strength = Strength.objects.get(drug=drug, mg=25)
    strength.approved_markets = "GB"  # not sold in the US store
    strength.save()
    return strength


def change_url(strength) -> str:
    return reverse("admin:catalogue_strength_change", args=[strength.pk])


def can_buy_25(strength) -> bool:
    pack = strength.drug.product.children.get(upc__endswith="-25-30")
    return purchase.Default().fetch_for_product(pack).availability.is_available_to_buy


def test_a_price_editor_cannot_approve_25_mg_for_the_us_by_a_forged_post(
    strength_25,
):
    client = signed_in(staff_in(PRICE_EDITORS))
    assert 'name="approved_markets"' not in client.get(change_url(strength_25)).text

    response = client.post(
        change_url(strength_25),
        {"is_available": "on", "approved_markets": "GB,US", "_save": "Save"},
    )

    assert response.status_code == 302
    strength_25.refresh_from_db()
    assert strength_25.approved_markets == "GB"
    assert not can_buy_25(strength_25)


def test_a_price_editor_switching_from_the_list_cannot_touch_the_markets(
    strength_25,
):
    client = signed_in(staff_in(PRICE_EDITORS))
    changelist = reverse("admin:catalogue_strength_changelist")
    strengths = list(Strength.objects.order_by("pk"))
    data = {
        "form-TOTAL_FORMS": str(len(strengths)),
        "form-INITIAL_FORMS": str(len(strengths)),
        "_save": "Save",
    }
    for i, s in enumerate(strengths):
        data[f"form-{i}-id"] = str(s.pk)
        data[f"form-{i}-is_available"] = "on"
        data[f"form-{i}-approved_markets"] = "GB,US"  # forged: not a list column

    client.post(changelist, data)

    strength_25.refresh_from_db()
    assert strength_25.approved_markets == "GB"


@pytest.mark.parametrize("role", [SUPERINTENDENTS, PHARMACISTS])
def test_the_superintendent_or_pharmacist_approves_a_market_and_it_is_recorded(
    strength_25, role
):
    decider = staff_in(role)
    client = signed_in(decider)
    page = client.get(change_url(strength_25)).text
    assert 'name="approved_markets"' in page
    assert 'name="is_available"' not in page  # the switch is the price editors'

    response = client.post(
        change_url(strength_25), {"approved_markets": "gb, us", "_save": "Save"}
    )

    assert response.status_code == 302
    strength_25.refresh_from_db()
    assert strength_25.approved_markets == "GB,US"
    assert strength_25.is_available  # the form could not switch it off
    assert can_buy_25(strength_25)
    latest = strength_25.history.order_by("-history_date").first()
    assert latest.history_user == decider
    assert latest.approved_markets == "GB,US"


def test_a_market_code_that_is_not_two_letters_is_refused_and_kept(strength_25):
    client = signed_in(staff_in(SUPERINTENDENTS))

    response = client.post(
        change_url(strength_25), {"approved_markets": "GB,USA", "_save": "Save"}
    )

    assert response.status_code == 200
    assert "two-letter country codes" in response.text
    assert 'value="GB,USA"' in response.text
    strength_25.refresh_from_db()
    assert strength_25.approved_markets == "GB"


def test_the_superintendent_cannot_switch_a_strength_off(strength_25):
    client = signed_in(staff_in(SUPERINTENDENTS))

    # No is_available in the POST reads as "unticked" if the field were offered.
    client.post(change_url(strength_25), {"approved_markets": "GB", "_save": "Save"})

    strength_25.refresh_from_db()
    assert strength_25.is_available


def test_the_rule_holds_where_the_strength_is_saved(strength_25):
    with pytest.raises(PermissionDenied):
        strength_services.strength_update(
            strength=strength_25,
            actor=staff_in(PRICE_EDITORS),
            changes={"approved_markets": "GB,US"},
        )
    with pytest.raises(PermissionDenied):
        strength_services.strength_update(
            strength=strength_25,
            actor=staff_in(SUPERINTENDENTS),
            changes={"is_available": False},
        )
    strength_25.refresh_from_db()
    assert (strength_25.approved_markets, strength_25.is_available) == ("GB", True)
    assert strength_25.mg == Decimal("25")


def test_the_same_markets_in_another_order_are_no_change(strength_25):
    Strength.objects.filter(pk=strength_25.pk).update(approved_markets="US,GB")

    # A price editor switching it off sends the markets as they are shown.
    strength_services.strength_update(
        strength=strength_25,
        actor=staff_in(PRICE_EDITORS),
        changes={"is_available": False, "approved_markets": "gb,US"},
    )

    strength_25.refresh_from_db()
    assert (strength_25.is_available, strength_25.approved_markets) == (False, "US,GB")
