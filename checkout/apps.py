import oscar.apps.checkout.apps as apps
from django.urls import path


class CheckoutConfig(apps.CheckoutConfig):
    name = "checkout"
    verbose_name = "Prescriptions and orders"

    def ready(self) -> None:
        super().ready()
        from checkout import views
        from checkout.payments import views as payment_views
        from checkout.payments import webhooks

        self.patient_view = views.PatientDetailsView
        self.prescription_view = views.PrescriptionView
        self.stripe_return_view = payment_views.StripeReturnView
        self.stripe_cancel_view = payment_views.StripeCancelView
        self.stripe_webhook_view = webhooks.StripeWebhookView
        self.pay_again_view = payment_views.PayAgainView
        self.pay_again_return_view = payment_views.PayAgainReturnView
        self.invoice_card_view = payment_views.InvoiceCardView
        self.invoice_card_return_view = payment_views.InvoiceCardReturnView
        self.thankyou_view = views.ThankYouView

    def get_urls(self):
        urls = super().get_urls()
        urls += [
            path("patient/", self.patient_view.as_view(), name="patient"),
            path(
                "prescription/", self.prescription_view.as_view(), name="prescription"
            ),
            path(
                "payment/stripe/return/",
                self.stripe_return_view.as_view(),
                name="stripe-return",
            ),
            path(
                "payment/stripe/cancel/",
                self.stripe_cancel_view.as_view(),
                name="stripe-cancel",
            ),
            path(
                "payment/stripe/webhook/",
                self.stripe_webhook_view.as_view(),
                name="stripe-webhook",
            ),
            path(
                "pay-again/<str:token>/",
                self.pay_again_view.as_view(),
                name="pay-again",
            ),
            path(
                "pay-again/<str:token>/return/",
                self.pay_again_return_view.as_view(),
                name="pay-again-return",
            ),
            path(
                "invoice/<str:token>/",
                self.invoice_card_view.as_view(),
                name="invoice-card",
            ),
            path(
                "invoice/<str:token>/return/",
                self.invoice_card_return_view.as_view(),
                name="invoice-card-return",
            ),
        ]
        return self.post_process_urls(urls)
