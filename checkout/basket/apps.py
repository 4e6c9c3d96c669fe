import oscar.apps.basket.apps as apps


class BasketConfig(apps.BasketConfig):
    # Forked only for models.py: a basket loads its lines, and everything the
    # pharmacy's rules read from them, in a fixed number of queries.
    name = "checkout.basket"
