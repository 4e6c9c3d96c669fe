from django.urls import path

from checkout.dispensing.refills import views

app_name = "refills"

urlpatterns = [
    path("", views.PrescriptionListView.as_view(), name="list"),
    path("<int:pk>/refill/", views.RefillView.as_view(), name="refill"),
    path("<int:pk>/reminders/", views.ReminderToggleView.as_view(), name="reminders"),
    path("transfer/", views.TransferRequestView.as_view(), name="transfer"),
    path(
        "reminders/stop/<str:token>/",
        views.UnsubscribeView.as_view(),
        name="unsubscribe",
    ),
]
