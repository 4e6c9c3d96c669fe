from django.urls import path

from catalog.costs import views

urlpatterns = [
    path("", views.PriceListView.as_view(), name="price-list"),
    path("price-list.csv", views.price_list_csv, name="price-list-csv"),
    path("price-list.json", views.price_list_json, name="price-list-json"),
]
