"""The pay-again page a customer reaches from the email sent after a failed
capture. Thin: the rules are in repayment.py."""

from django import http
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import generic

from checkout import repayment, stripe_gateway
from checkout.models import PaymentState


def _order_or_404(token: str):
    order = repayment.pay_again_order(token=token)
    if order is None:
        raise http.Http404("This link is not valid any more.")
    return order


class PayAgainView(generic.View):
    template_name = "checkout/pay_again.html"

    def get(self, request, token):
        order = _order_or_404(token)
        return self._page(request, order)

    def post(self, request, token):
        order = _order_or_404(token)
        back = request.build_absolute_uri(
            reverse("checkout:pay-again", kwargs={"token": token})
        )
        try:
            url = repayment.pay_again_start(
                order=order,
                success_url=request.build_absolute_uri(
                    reverse("checkout:pay-again-return", kwargs={"token": token})
                )
                + "?session_id={CHECKOUT_SESSION_ID}",
                cancel_url=back,
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
            repayment.pay_again_fulfil(session_id=session_id)
        except (repayment.PayAgainRefused, stripe_gateway.PaymentGatewayError) as exc:
            messages.error(request, str(exc))
            return redirect("checkout:pay-again", token=token)
        messages.success(
            request,
            "Thank you: your card is authorised. Our pharmacist will now complete "
            "your order.",
        )
        return redirect("checkout:pay-again", token=token)
