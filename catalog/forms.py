from decimal import Decimal

from django import forms


class VariantChoiceForm(forms.Form):
    """Which pack the shopper picked: a strength and a pack size.

    Quantity is validated afterwards by Oscar's AddToBasketForm, which also asks
    the strategy whether the pack may be bought.
    """

    strength = forms.DecimalField(
        max_digits=7,
        decimal_places=2,
        min_value=Decimal("0.01"),
        error_messages={
            "required": "Please choose a strength.",
            "invalid": "Please choose a strength from the list.",
        },
    )
    pack = forms.IntegerField(
        min_value=1,
        max_value=10000,
        error_messages={
            "required": "Please choose a pack size.",
            "invalid": "Please choose a pack size from the list.",
        },
    )
    quantity = forms.IntegerField(
        min_value=1,
        error_messages={
            "required": "Please enter how many packs you want.",
            "invalid": "Enter the number of packs as a whole number.",
            "min_value": "Choose at least one pack.",
        },
    )
