from decimal import Decimal

from django.conf import settings
from oscar.apps.shipping.methods import *  # noqa: F403
from oscar.apps.shipping.methods import FixedPrice


class SettingsPriced(FixedPrice):
    """A flat-rate method whose price is read from settings.SHIPPING_METHODS."""

    def __init__(self, code: str):
        spec = settings.SHIPPING_METHODS[code]
        self.code = code
        self.name = spec["name"]
        self.description = spec["description"]
        price = Decimal(spec["price"])
        super().__init__(charge_excl_tax=price, charge_incl_tax=price)
