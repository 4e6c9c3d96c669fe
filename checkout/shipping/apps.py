import oscar.apps.shipping.apps as apps


class ShippingConfig(apps.ShippingConfig):
    # Forked for repository.py (our standard and express methods) and
    # countries.py (the countries we ship to).
    name = "checkout.shipping"
