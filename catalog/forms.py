from decimal import Decimal

from django import forms


def _choice_errors(what: str) -> dict[str, str]:
    """One plain message for any value that is not one of the offered choices."""
    not_listed = f"Please choose a {what} from the list."
    codes = ("invalid", "min_value", "max_value", "max_digits")
    errors = dict.fromkeys(
        codes + ("max_decimal_places", "max_whole_digits"), not_listed
    )
    return {**errors, "required": f"Please choose a {what}."}


class VariantChoiceForm(forms.Form):
    """Which pack the shopper picked: a strength and a pack size.

    Quantity is validated afterwards by Oscar's AddToBasketForm, which also asks
    the strategy whether the pack may be bought.
    """

    strength = forms.DecimalField(
        max_digits=7,
        decimal_places=2,
        min_value=Decimal("0.01"),
        error_messages=_choice_errors("strength"),
    )
    pack = forms.IntegerField(
        min_value=1, max_value=10000, error_messages=_choice_errors("pack size")
    )
    quantity = forms.IntegerField(
        min_value=1,
        error_messages={
            "required": "Please enter how many packs you want.",
            "invalid": "Enter the number of packs as a whole number.",
            "min_value": "Choose at least one pack.",
        },
    )
