"""The shop says "basket", never "cart", including in Oscar's own messages."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_adding_to_the_basket_says_basket(client, drug):
    url = reverse(
        "catalogue:add-variant",
        kwargs={"product_slug": drug.product.slug, "pk": drug.product.pk},
    )
    response = client.post(
        url, {"strength": "10", "pack": "30", "quantity": 1}, follow=True
    )
    html = response.content.decode()
    assert "has been added to your basket" in html
    assert not re.search(r"\bcart\b", html, re.I)
    # The page has its own buttons; the message adds no second pair.
    assert "Checkout now" not in html


def test_emptying_the_basket_says_basket(client, drug):
    test_adding_to_the_basket_says_basket(client, drug)
    basket = client.get(reverse("basket:summary"))
    form = basket.context["formset"].forms[0]
    data = {
        "form-TOTAL_FORMS": 1,
        "form-INITIAL_FORMS": 1,
        "form-MIN_NUM_FORMS": 0,
        "form-MAX_NUM_FORMS": 1000,
        "form-0-id": form.instance.pk,
        "form-0-quantity": 0,
    }
    html = client.post(reverse("basket:summary"), data, follow=True).content.decode()
    assert not re.search(r"\bcart\b", html, re.I)
