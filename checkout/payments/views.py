"""The pages Stripe sends a customer back to: the end of a card checkout
(authorised, or cancelled), the pay-again page reached from the email sent
after a failed capture, and the "Pay by card" page of an invoice. Thin: the
rules are in fulfilment.py, repayment.py and invoice_cards.py."""

from django import http
from django.contrib import messages
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import generic
from oscar.apps.checkout.utils import CheckoutSessionData

from checkout.orders import placing
from checkout.orders.models import CheckoutAttempt
from checkout.payments import (
    fulfilment,
    invoice_cards,
    invoices,
    ledger,
    paylinks,
    repayment,
    stripe_gateway,
)
from checkout.payments.states import PaymentState


def _order_or_404(token: str):
    order = repayment.pay_again_order(token=token)
    if order is None:
        raise http.Http404("This link is not valid any more.")
    return order


def _stripe_pages(request, page: str, token: str) -> dict:
    """Where Stripe sends the customer back from a signed link's payment:
    the page's return view with the session id, or the page itself."""

    def url(name: str) -> str:
        return request.build_absolute_uri(reverse(name, kwargs={"token": token}))

    return {
        "success_url": url(f"{page}-return") + "?session_id={CHECKOUT_SESSION_ID}",
        "cancel_url": url(page),
    }


class PayAgainView(generic.View):
    template_name = "checkout/pay_again.html"

    def get(self, request, token):
        order = _order_or_404(token)
        return self._page(request, order)

    def post(self, request, token):
        order = _order_or_404(token)
        try:
            url = repayment.pay_again_start(
                order=order, **_stripe_pages(request, "checkout:pay-again", token)
            )
        except (repayment.PayAgainRefused, stripe_gateway.PaymentGatewayError) as exc:
            return self._page(request, order, error=str(exc))
        return http.HttpResponseRedirect(url)

    def _page(self, request, order, error=None):
        payment = getattr(order, "payment", None)
        return render(
            request,
            self.template_name,
            {
                "order": order,
                "possible": repayment.pay_again_possible(order=order),
                "authorised": payment is not None
                and payment.state == PaymentState.AUTHORISED,
                "error": error,
            },
        )


class PayAgainReturnView(generic.View):
    def get(self, request, token):
        order = _order_or_404(token)
        session_id = request.GET.get("session_id", "")
        payment = getattr(order, "payment", None)
        if payment is None or not session_id or payment.retry_session_id != session_id:
            raise http.Http404("Unknown payment")
        try:
            fulfilment.pay_again_fulfil(session_id=session_id)
        except (repayment.PayAgainRefused, stripe_gateway.PaymentGatewayError) as exc:
            messages.error(request, str(exc))
            return redirect("checkout:pay-again", token=token)
        messages.success(
            request,
            "Thank you: your card is authorised. Our pharmacist will now complete "
            "your order.",
        )
        return redirect("checkout:pay-again", token=token)


class StripeReturnView(generic.View):
    """Where Stripe sends the shopper after authorising the card. Only the
    browser that started this checkout may see its result."""

    def get(self, request):
        session_id = request.GET.get("session_id", "")
        # This browser's checkout, or the order it already placed (a reload).
        attempt = (
            CheckoutAttempt.objects.filter(stripe_session_id=session_id)
            .filter(
                Q(basket_id=CheckoutSessionData(request).get_submitted_basket_id())
                | Q(
                    order_id=request.session.get("checkout_order_id"),
                    order__isnull=False,
                )
            )
            .first()
        )
        if not session_id or attempt is None:
            raise http.Http404("Unknown checkout")
        try:
            order = fulfilment.checkout_fulfil(session_id=session_id)
        except fulfilment.PaymentNotAuthorised:
            messages.error(
                request,
                "Your card has not been authorised yet, so no order was placed. "
                "Your basket is unchanged.",
            )
            fulfilment.checkout_end(
                session_id=session_id, status=CheckoutAttempt.Status.FAILED
            )
            return redirect("basket:summary")
        except (placing.OrderNotPlaced, stripe_gateway.PaymentGatewayError) as exc:
            messages.error(request, str(exc))
            return redirect("basket:summary")
        # A fresh checkout next time: the old submission must not be taken for
        # a second click on a new order.
        CheckoutSessionData(request).flush()
        request.session["checkout_order_id"] = order.pk
        return redirect("checkout:thank-you")


class StripeCancelView(generic.View):
    """The shopper pressed back on Stripe's page: their basket is as they left it."""

    def get(self, request):
        attempt = CheckoutAttempt.objects.filter(pk=request.GET.get("attempt") or 0)
        attempt = attempt.filter(
            basket_id=CheckoutSessionData(request).get_submitted_basket_id()
        ).first()
        if attempt is not None and attempt.stripe_session_id:
            fulfilment.checkout_end(
                session_id=attempt.stripe_session_id,
                status=CheckoutAttempt.Status.CANCELLED,
            )
        messages.info(
            request, "Payment cancelled. Nothing was charged; your basket is unchanged."
        )
        return redirect("basket:summary")


class InvoiceCardView(generic.View):
    """An invoice's "Pay by card" link: the amount due and a button that
    starts Stripe's payment page; or why there is nothing to pay."""

    template_name = "checkout/invoice_card.html"

    def get(self, request, token):
        return self._page(request, _invoice_order_or_404(token))

    def post(self, request, token):
        order = _invoice_order_or_404(token)
        try:
            url = invoice_cards.invoice_card_start(
                order=order, **_stripe_pages(request, "checkout:invoice-card", token)
            )
        except (
            invoice_cards.InvoiceCardRefused,
            stripe_gateway.PaymentGatewayError,
        ) as exc:
            return self._page(request, order, error=str(exc))
        return http.HttpResponseRedirect(url)

    def _page(self, request, order, error=None):
        payment = ledger.payment_loaded(order)
        return render(
            request,
            self.template_name,
            {
                "order": order,
                "refusal": invoice_cards.invoice_card_refusal(
                    order=order, payment=payment
                ),
                "invoice": invoices.invoice_terms(order=order),
                "error": error,
            },
        )


class InvoiceCardReturnView(generic.View):
    """Where Stripe sends the customer after paying: recorded now if the
    webhook has not done it yet (fulfilment does it once)."""

    def get(self, request, token):
        order = _invoice_order_or_404(token)
        try:
            paid_order = fulfilment.invoice_card_fulfil(
                session_id=request.GET.get("session_id", "")
            )
        except (
            invoice_cards.InvoiceCardRefused,
            stripe_gateway.PaymentGatewayError,
        ) as exc:
            messages.error(request, str(exc))
        else:
            if paid_order.pk != order.pk:
                raise http.Http404("Unknown payment")
            messages.success(request, "Thank you: your payment has been received.")
        return redirect("checkout:invoice-card", token=token)


def _invoice_order_or_404(token: str):
    order = paylinks.invoice_card_order(token=token)
    if order is None:
        raise http.Http404("This link is not valid any more.")
    return order
