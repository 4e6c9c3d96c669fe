import oscar.apps.customer.apps as apps


class CustomerConfig(apps.CustomerConfig):
    """Oscar's customer app (its models and migrations unchanged) with our views
    for signing out, the order status pages and registration's welcome."""

    name = "oscar.apps.customer"
    label = "customer"

    def ready(self) -> None:
        super().ready()
        from pharmacy.customer import (
            receivers,  # noqa: F401  welcome message
            views,
        )

        self.logout_view = views.LogoutView
        self.anon_order_detail_view = views.AnonymousOrderDetailView
        self.anon_order_form_view = views.AnonymousOrderFormView
        self.order_detail_view = views.OrderDetailView
