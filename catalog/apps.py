import oscar.apps.catalogue.apps as apps
from django.urls import re_path


class CatalogueConfig(apps.CatalogueConfig):
    # Two names on purpose: the Python package is `catalog` (our code), while the
    # app label stays `catalogue` so Oscar's get_class/get_model("catalogue", ...)
    # lookups, its migrations' dependencies and its URL namespace all find this fork.
    name = "catalog"
    label = "catalogue"
    verbose_name = "Catalog"

    def ready(self) -> None:
        super().ready()
        from catalog import receivers

        receivers.receivers_connect()
        from catalog.views import VariantBasketAddView

        self.variant_add_view = VariantBasketAddView

    def get_urls(self):
        urls = super().get_urls()
        urls.append(
            re_path(
                r"^(?P<product_slug>[\w-]*)_(?P<pk>\d+)/add/$",
                self.variant_add_view.as_view(),
                name="add-variant",
            )
        )
        return self.post_process_urls(urls)
