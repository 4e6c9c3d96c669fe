import oscar.apps.shipping.apps as apps


class ShippingConfig(apps.ShippingConfig):
    # Forked only for repository.py: our standard and express methods.
    name = "checkout.shipping"
