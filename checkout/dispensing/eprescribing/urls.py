from django.urls import path

from checkout.dispensing.eprescribing import views

app_name = "eprescribing"

urlpatterns = [
    path("script/", views.script_endpoint, name="script"),
    path("fhir/", views.fhir_endpoint, name="fhir"),
]
