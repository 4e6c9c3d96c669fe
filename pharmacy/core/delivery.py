"""What a delivery method charges, read from settings.SHIPPING_METHODS: the
one reading for the checkout that charges it (checkout/shipping/methods.py)
and the product page that shows it (catalog/costs/breakdown.py)."""

from decimal import Decimal

from django.conf import settings

STANDARD = "standard"


def delivery_charge(*, code: str = STANDARD) -> Decimal:
    """The flat charge for one order by this method, in the store's currency."""
    return Decimal(settings.SHIPPING_METHODS[code]["price"])
