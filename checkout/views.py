"""Oscar's checkout with a pharmacy's steps added: patient details and the
prescription after delivery, then a choice of payment. Views stay thin: the
rules live in prescriptions.py, placing.py, fulfilment.py and stripe_gateway.py.

Step order: gateway -> shipping address -> shipping method -> patient ->
prescription (only for prescription medicines) -> payment method -> preview.
"""

import logging

from django import http
from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.views import generic
from django.views.decorators.debug import sensitive_post_parameters
from oscar.apps.checkout import exceptions
from oscar.apps.checkout import views as oscar_views
from oscar.apps.checkout.utils import CheckoutSessionData
from oscar.apps.order.models import Order

from checkout.basket.models import Basket
from checkout.dispensing import prescriptions, sources
from checkout.dispensing.refills import reminders as refill_reminders
from checkout.dispensing.refills import rules as refill_rules
from checkout.dispensing.refills import services as refills
from checkout.forms import PatientDetailsForm, PaymentMethodForm, PrescriptionForm
from checkout.orders import placing, tracking
from checkout.orders.models import CheckoutAttempt
from checkout.payments import stripe_gateway
from checkout.payments.states import PaymentMethod
from pharmacy.compliance import licensing

logger = logging.getLogger(__name__)


class PharmacyCheckoutMixin:
    """The pre-conditions our extra steps add to Oscar's."""

    def check_delivery_state_is_licensed(self, request):
        # The address form refuses it too; this catches an address-book
        # address, or a licence withdrawn while the shopper is checking out,
        # before they pay. Placing the order decides (checkout/orders/placing.py).
        address = self.get_shipping_address(request.basket)
        if address is None:
            return
        refusal = licensing.state_delivery_refusal(state=address.state)
        if refusal:
            raise exceptions.FailedPreCondition(
                url=reverse("checkout:shipping-address"), message=refusal
            )

    def check_patient_details_are_captured(self, request):
        if not prescriptions.basket_patient_captured(basket=request.basket):
            raise exceptions.FailedPreCondition(
                url=reverse("checkout:patient"),
                message="Please tell us who the medicine is for.",
            )

    def check_prescription_is_captured(self, request):
        # The rule placing the order applies (placing.prescription_check).
        basket = request.basket
        if prescriptions.basket_needs_prescription(
            basket=basket
        ) and not sources.basket_prescription_source_present(
            basket=basket, user=request.user
        ):
            raise exceptions.FailedPreCondition(
                url=reverse("checkout:prescription"),
                message="Please give us your prescription.",
            )

    def check_payment_method_is_chosen(self, request):
        method = self.checkout_session.payment_method()
        allowed = {PaymentMethod.INVOICE.value}
        if stripe_gateway.is_enabled():
            allowed.add(PaymentMethod.CARD.value)
        if method not in allowed:
            raise exceptions.FailedPreCondition(
                url=reverse("checkout:payment-method"),
                message="Please choose how you would like to pay.",
            )


DETAILS_CAPTURED = [
    "check_basket_is_not_empty",
    "check_basket_is_valid",
    "check_user_email_is_captured",
    "check_shipping_data_is_captured",
    "check_delivery_state_is_licensed",
]


# A refusal at "Place order" that a checkout step can put right: the note on
# the attempt, and the step the shopper goes back to.
STEP_TO_FIX = {
    placing.StateNotLicensed: ("State not licensed", "checkout:shipping-address"),
    placing.PrescriptionMissing: ("No prescription", "checkout:prescription"),
}


class IndexView(oscar_views.IndexView):
    """The gateway. Its sign-in step authenticates with the request, which
    django-axes needs to count and lock failed attempts."""

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}


class ShippingMethodView(PharmacyCheckoutMixin, oscar_views.ShippingMethodView):
    success_url = reverse_lazy("checkout:patient")
    pre_conditions = oscar_views.ShippingMethodView.pre_conditions + [
        "check_delivery_state_is_licensed"
    ]


@method_decorator(sensitive_post_parameters(), name="dispatch")
class PatientDetailsView(
    PharmacyCheckoutMixin, oscar_views.CheckoutSessionMixin, generic.FormView
):
    template_name = "checkout/patient.html"
    form_class = PatientDetailsForm
    pre_conditions = DETAILS_CAPTURED
    prefilled_from_order = False  # a refill's details, from its first order

    def get_initial(self):
        if self.request.method != "GET":
            return {}  # a posted form is bound: initial values go unused
        patient = prescriptions.basket_patient(basket=self.request.basket)
        if patient is None:
            refill = refills.basket_refill(basket=self.request.basket)
            if refill is not None:
                initial = refills.refill_patient_initial(record=refill)
                self.prefilled_from_order = bool(initial)
                return initial
            return {}
        return prescriptions.patient_form_initial(patient=patient)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["prefilled"] = self.prefilled_from_order
        return ctx

    def form_valid(self, form):
        prescriptions.patient_details_save(
            basket=self.request.basket, data=form.cleaned_data
        )
        basket = self.request.basket
        if prescriptions.basket_needs_prescription(
            basket=basket
        ) and not sources.basket_prescription_on_file(
            basket=basket, user=self.request.user
        ):
            return redirect("checkout:prescription")
        return redirect("checkout:payment-method")


@method_decorator(sensitive_post_parameters(), name="dispatch")
class PrescriptionView(
    PharmacyCheckoutMixin, oscar_views.CheckoutSessionMixin, generic.FormView
):
    template_name = "checkout/prescription.html"
    form_class = PrescriptionForm
    pre_conditions = DETAILS_CAPTURED + ["check_patient_details_are_captured"]

    def dispatch(self, request, *args, **kwargs):
        # A refill is filled from the prescription on file: nothing to upload.
        if sources.basket_prescription_on_file(
            basket=request.basket, user=request.user
        ):
            return redirect("checkout:payment-method")
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        prescriptions.prescription_save(
            basket=self.request.basket,
            data=form.cleaned_data,
            upload_kind=getattr(form, "upload_kind", None),
        )
        return redirect("checkout:payment-method")


class PaymentMethodView(PharmacyCheckoutMixin, oscar_views.PaymentMethodView):
    template_name = "checkout/payment_method.html"
    pre_conditions = DETAILS_CAPTURED + [
        "check_patient_details_are_captured",
        "check_prescription_is_captured",
    ]
    skip_conditions = []

    def get(self, request, *args, **kwargs):
        return self._render(self._form())

    def post(self, request, *args, **kwargs):
        form = self._form(request.POST)
        if not form.is_valid():
            return self._render(form)
        self.checkout_session.pay_by(form.cleaned_data["method"])
        if form.cleaned_data.get("refill_reminder"):
            for drug in prescriptions.basket_drugs(basket=request.basket):
                refill_reminders.subscribe(user=request.user, drug=drug)
        return redirect("checkout:preview")

    def _form(self, data=None):
        return PaymentMethodForm(
            data,
            card_enabled=stripe_gateway.is_enabled(),
            offer_reminder=self.request.user.is_authenticated
            and prescriptions.basket_needs_prescription(basket=self.request.basket),
        )

    def _render(self, form):
        return self.render_to_response(
            self.get_context_data(form=form, card_enabled=stripe_gateway.is_enabled())
        )


class PaymentDetailsView(PharmacyCheckoutMixin, oscar_views.PaymentDetailsView):
    """The preview page and "Place order"."""

    pre_conditions = DETAILS_CAPTURED + [
        "check_patient_details_are_captured",
        "check_prescription_is_captured",
        "check_payment_method_is_chosen",
    ]

    def get(self, request, *args, **kwargs):
        if not self.preview:
            return redirect("checkout:preview")
        return super().get(request, *args, **kwargs)

    def dispatch(self, request, *args, **kwargs):
        # A second click on "Place order" arrives after the first emptied the
        # basket: show the order the first click placed, not an empty basket.
        if request.method == "POST" and request.POST.get("action") == "place_order":
            placed = self._already_placed(request)
            if placed is not None:
                return placed
        return super().dispatch(request, *args, **kwargs)

    def _already_placed(self, request):
        if request.basket.is_empty and request.session.get("checkout_order_id"):
            # The first click placed the order and emptied the basket.
            return redirect("checkout:thank-you")
        basket_id = CheckoutSessionData(request).get_submitted_basket_id()
        if not basket_id:
            return None
        if not request.basket.is_empty and request.basket.pk != basket_id:
            # A new basket: this is a new order, not a second click on the old one.
            return None
        attempt = (
            CheckoutAttempt.objects.filter(basket_id=basket_id, order__isnull=False)
            .order_by("-pk")
            .first()
        )
        if attempt is None:
            return None
        request.session["checkout_order_id"] = attempt.order_id
        return redirect("checkout:thank-you")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["payment_method"] = PaymentMethod(self.checkout_session.payment_method())
        ctx["needs_prescription"] = prescriptions.basket_needs_prescription(
            basket=self.request.basket
        )
        ctx["review"] = prescriptions.basket_checkout_review(basket=self.request.basket)
        refill = refills.basket_refill(basket=self.request.basket)
        ctx["refill_rx"] = refill_rules.rx_number(record=refill) if refill else None
        return ctx

    def submit(
        self,
        user,
        basket,
        shipping_address,
        shipping_method,
        shipping_charge,
        billing_address,
        order_total,
        **kwargs,
    ):
        # Lock the basket: a concurrent "Place order" for it waits here, then
        # finds it already submitted. Stripe is called after this commits.
        with transaction.atomic():
            locked = Basket.objects.select_for_update().get(pk=basket.pk)
            if locked.status != Basket.OPEN:
                placed = self._already_placed(self.request)
                return placed or redirect("basket:summary")
            order_number = self.generate_order_number(basket)
            self.checkout_session.set_order_number(order_number)
            self.freeze_basket(basket)
            self.checkout_session.set_submitted_basket(basket)
            method = self.checkout_session.payment_method()
            attempt = CheckoutAttempt.objects.create(
                basket=basket,
                user=user if user.is_authenticated else None,
                guest_email=self.checkout_session.get_guest_email() or "",
                order_number=order_number,
                attempt=CheckoutAttempt.objects.filter(
                    order_number=order_number
                ).count()
                + 1,
                payment_method=method,
                amount=order_total.incl_tax,
                currency=order_total.currency,
                shipping_method_code=shipping_method.code,
                shipping_address=_address_fields(shipping_address),
            )
        try:
            if method == PaymentMethod.CARD:
                # Refused before the shopper is sent to pay, as placing would.
                placing.delivery_check(shipping_address=attempt.shipping_address)
                placing.prescription_check(basket=basket, user=attempt.user)
                return self._redirect_to_stripe(attempt, user)
            order = placing.order_place(attempt_id=attempt.pk)
        except (placing.StateNotLicensed, placing.PrescriptionMissing) as exc:
            # Back to the step that can put it right, with the reason.
            note, step = STEP_TO_FIX[type(exc)]
            CheckoutAttempt.objects.filter(pk=attempt.pk).update(
                status=CheckoutAttempt.Status.FAILED, note=note
            )
            self.restore_frozen_basket()
            messages.error(self.request, str(exc))
            return redirect(step)
        except placing.OrderNotPlaced as exc:
            self.restore_frozen_basket()
            return self.render_preview(self.request, error=str(exc))
        return self._thank_you(order)

    def _redirect_to_stripe(self, attempt, user):
        email = user.email if user.is_authenticated else attempt.guest_email
        try:
            session_id, url = stripe_gateway.checkout_session_create(
                order_number=attempt.order_number,
                attempt=attempt.attempt,
                amount=attempt.amount,
                currency=attempt.currency,
                customer_email=email,
                success_url=self.request.build_absolute_uri(
                    reverse("checkout:stripe-return")
                )
                + "?session_id={CHECKOUT_SESSION_ID}",
                cancel_url=self.request.build_absolute_uri(
                    reverse("checkout:stripe-cancel")
                )
                + f"?attempt={attempt.pk}",
            )
        except stripe_gateway.PaymentGatewayError as exc:
            attempt.status = CheckoutAttempt.Status.FAILED
            attempt.note = "Could not start Stripe Checkout"
            attempt.save(update_fields=["status", "note", "updated_at"])
            self.restore_frozen_basket()
            return self.render_preview(self.request, error=str(exc))
        attempt.stripe_session_id = session_id
        attempt.save(update_fields=["stripe_session_id", "updated_at"])
        return http.HttpResponseRedirect(url)

    def _thank_you(self, order):
        self.checkout_session.flush()
        self.request.session["checkout_order_id"] = order.pk
        if not order.user_id:
            # Written with this response's session, not the thank-you page's.
            tracking.guest_order_remember(
                session=self.request.session, order_number=order.number
            )
        # The submitted basket is no basket to come back to: the next page
        # starts a new one instead of asking for this one again.
        self.request.cookies_to_delete.append(settings.OSCAR_BASKET_COOKIE_OPEN)
        self.request.basket = Basket()
        return redirect("checkout:thank-you")


def _address_fields(address) -> dict:
    names = (
        "title",
        "first_name",
        "last_name",
        "line1",
        "line2",
        "line3",
        "line4",
        "state",
        "postcode",
        "notes",
    )
    fields = {name: getattr(address, name, "") or "" for name in names}
    fields["country_id"] = address.country_id
    fields["phone_number"] = str(address.phone_number or "")
    return fields


class ThankYouView(oscar_views.ThankYouView):
    """Oscar's confirmation page; the guest's browser remembers the order, so
    "Follow your order" opens its status without asking for the email."""

    def get_object(self, queryset=None):
        # Only the order this browser placed: Oscar's lets a superuser open any
        # order's page by number, which a pharmacy's health data forbids.
        order_id = self.request.session.get("checkout_order_id")
        order = (
            Order.objects.select_related("payment").filter(pk=order_id).first()
            if order_id
            else None
        )
        if order is not None and not order.user_id:
            tracking.guest_order_remember(
                session=self.request.session, order_number=order.number
            )
        return order
