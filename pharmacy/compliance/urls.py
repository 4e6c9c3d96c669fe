from django.urls import path

from pharmacy.compliance import views

app_name = "compliance"

urlpatterns = [
    path("licences/", views.LicencesView.as_view(), name="licences"),
    path("<slug:kind>/", views.PolicyView.as_view(), name="policy"),
]
