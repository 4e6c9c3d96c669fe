"""Per-market strengths: in the US market 25 mg stays on the page, marked "Not
sold in the US" with the reason, and can't be chosen, added, reordered or
checked out; in a market where it is approved it sells as before."""

import pytest
from django.urls import reverse

from catalog.models import Product, Strength
from checkout.basket.models import Basket
from tests.checkout_helpers import ADDRESS, place_order
from tests.factories import UserFactory
from tests.html import find_all, page, text

pytestmark = pytest.mark.django_db

REASON = "not approved in the US"


@pytest.fixture
def baclofen(drug):
    # As the demo data has it: 10 mg approved in the US, 25 mg only elsewhere.
    Strength.objects.filter(drug=drug, mg=10).update(approved_markets="US,ES")
    Strength.objects.filter(drug=drug, mg=25).update(approved_markets="ES,AU,ZA")
    return drug


@pytest.fixture
def us(settings):
    settings.PHARMACY_MARKET = "US"


@pytest.fixture
def spain(settings):
    settings.PHARMACY_MARKET = "ES"


def add_url(product) -> str:
    return reverse(
        "catalogue:add-variant", kwargs={"product_slug": product.slug, "pk": product.pk}
    )


def add(client, drug, strength: str, pack: int = 30):
    return client.post(
        add_url(drug.product),
        {"strength": strength, "pack": pack, "quantity": 1},
        follow=True,
    )


def shown_messages(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def basket_products(client) -> set[int]:
    basket = Basket.objects.filter(status=Basket.OPEN).order_by("-pk").first()
    return {line.product_id for line in basket.all_lines()} if basket else set()


def test_us_product_page_shows_25_mg_marked_not_sold_with_the_reason(
    client, baclofen, us
):
    root = page(client.get(baclofen.product.get_absolute_url()))

    radios = {
        r.attrs["value"]: r
        for r in find_all(root, "input", type="radio", name="strength")
    }
    assert set(radios) == {"10", "25"}
    assert "disabled" in radios["25"].attrs
    assert "disabled" not in radios["10"].attrs
    label = text(find_all(root, "label", cls="choice-not-sold")[0])
    assert "25 mg" in label and "Not sold in the US" in label
    reason = text(find_all(root, "p", cls="not-sold-reason")[0])
    assert REASON in reason
    # Its prices are not advertised; staff still see them in the admin.
    assert "$101.70" not in client.get(baclofen.product.get_absolute_url()).text


def test_us_refuses_to_add_25_mg_to_a_basket_and_says_why(client, baclofen, us):
    response = add(client, baclofen, "25")

    assert REASON in shown_messages(response)
    assert basket_products(client) == set()


def test_another_market_sells_25_mg_as_before(client, baclofen, spain):
    root = page(client.get(baclofen.product.get_absolute_url()))
    assert not find_all(root, "label", cls="choice-not-sold")

    add(client, baclofen, "25")

    pack = Product.objects.get(upc=f"{baclofen.product.upc}-25-30")
    assert basket_products(client) == {pack.pk}


def test_a_basket_holding_25_mg_is_refused_at_checkout_with_a_clear_message(
    client, baclofen, settings
):
    settings.PHARMACY_MARKET = "ES"
    add(client, baclofen, "25")
    settings.PHARMACY_MARKET = "US"

    basket_page = client.get(reverse("basket:summary"))
    assert "Not sold in the US" in text(page(basket_page))

    client.post(
        reverse("checkout:index"),
        {"username": "guest@example.com", "options": "anonymous"},
    )
    response = client.post(reverse("checkout:shipping-address"), ADDRESS, follow=True)
    assert response.redirect_chain[-1][0] == reverse("basket:summary")
    assert "Not sold in the US" in shown_messages(response)
    assert REASON in shown_messages(response)
    # Not silently dropped: the line is still there for the shopper to change.
    assert len(basket_products(client)) == 1


def test_a_reorder_of_25_mg_in_the_us_is_refused_with_the_reason(
    client, baclofen, settings, private_root
):
    customer = UserFactory()
    settings.PHARMACY_MARKET = "ES"
    pack = Product.objects.get(upc=f"{baclofen.product.upc}-25-30")
    order = place_order(product=pack, owner=customer)
    settings.PHARMACY_MARKET = "US"
    client.force_login(customer)

    response = client.post(
        reverse("customer:order", kwargs={"order_number": order.number}),
        {"action": "reorder"},
        follow=True,
    )

    assert REASON in shown_messages(response)
    assert not Basket.objects.filter(
        owner=customer, status=Basket.OPEN, lines__isnull=False
    ).exists()
