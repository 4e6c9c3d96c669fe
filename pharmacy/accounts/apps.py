import oscar.apps.customer.apps as apps


class CustomerConfig(apps.CustomerConfig):
    """Oscar's customer app (its models and migrations unchanged) with our views
    for signing out and the order status pages (the welcome after signing up is
    pharmacy/account_views.py's, once the email address is confirmed)."""

    name = "oscar.apps.customer"
    label = "customer"

    def ready(self) -> None:
        super().ready()
        from pharmacy.accounts import order_views as views

        self.logout_view = views.LogoutView
        self.anon_order_detail_view = views.AnonymousOrderDetailView
        self.anon_order_form_view = views.AnonymousOrderFormView
        self.order_detail_view = views.OrderDetailView
