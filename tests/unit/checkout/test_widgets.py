"""LongSelect writes what Django's Select template writes."""

import re

import pytest
from django import forms
from django.utils.safestring import mark_safe

from checkout.forms import ShippingAddressForm
from checkout.widgets import LongSelect

CHOICES = [
    ("", "Choose a state"),
    ("AL", "Alabama & <Territories>"),
    ('Group "one"', [("a", "A"), ("b", mark_safe("<b>B</b>"))]),
    (3, "Three"),
]
ATTRS = {
    "id": "id_state",
    "required": True,
    "aria-invalid": "true",
    "aria-describedby": "id_state_error",
    "disabled": False,
    "data-note": '"quoted"',
}


def tags(html: str) -> str:
    # Django's template puts whitespace between tags; browsers ignore it.
    return re.sub(r">\s+<", "><", html.strip())


@pytest.mark.parametrize("value", [None, "", "AL", "b", 3, "not a choice"])
def test_it_renders_as_djangos_select(value):
    django = forms.Select(choices=CHOICES, attrs={"autocomplete": "x"})
    ours = LongSelect(choices=CHOICES, attrs={"autocomplete": "x"})

    assert tags(ours.render("state", value, ATTRS)) == tags(
        django.render("state", value, ATTRS)
    )


@pytest.mark.django_db  # Oscar's address form reads the shipping countries
def test_the_address_form_offers_every_state_with_the_chosen_one_selected():
    form = ShippingAddressForm(initial={"state": "IL"})

    html = str(form["state"])

    assert html.count("<option") == len(form.fields["state"].choices)
    assert '<option value="IL" selected>Illinois</option>' in html
    assert 'autocomplete="address-level1"' in html
