from django.conf import settings
from oscar.apps.shipping.methods import *  # noqa: F403
from oscar.apps.shipping.methods import FixedPrice

from pharmacy.core import delivery


class SettingsPriced(FixedPrice):
    """A flat-rate method whose price is read from settings.SHIPPING_METHODS."""

    def __init__(self, code: str):
        spec = settings.SHIPPING_METHODS[code]
        self.code = code
        self.name = spec["name"]
        self.description = spec["description"]
        price = delivery.delivery_charge(code=code)
        super().__init__(charge_excl_tax=price, charge_incl_tax=price)
