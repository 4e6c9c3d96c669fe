from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout as auth_logout
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import reverse
from django.views import generic
from oscar.apps.customer import views as oscar_views
from oscar.apps.customer.mixins import AnonymousOrderMixin
from oscar.apps.order.models import Order

from checkout.orders import actions, tracking
from checkout.payments import invoices
from pharmacy.accounts import views as account_views
from pharmacy.accounts.order_forms import HoldAnswerForm

# The status page's POST that answers a hold (Oscar's own POSTs name others).
ANSWER_HOLD = "answer_hold"


class LogoutView(generic.TemplateView):
    """Signing out is a POST: a GET (a link, a prefetch, an image tag on another
    site) only shows a button that asks."""

    template_name = "oscar/customer/logout_confirm.html"

    def post(self, request, *args, **kwargs):
        auth_logout(request)
        response = redirect(settings.OSCAR_HOMEPAGE)
        for cookie in settings.OSCAR_COOKIES_DELETE_ON_LOGOUT:
            response.delete_cookie(cookie)
        return response


class _GuestOrderMixin:
    """Oscar asks a guest for the order's email; the browser that placed the
    order (remembered in its session) is not asked again."""

    def get_object(self, queryset=None):
        order = super().get_object()
        if order is not None:
            return order
        if not tracking.guest_order_remembered(
            session=self.request.session, order_number=self.order_number
        ):
            return None
        order = Order.objects.filter(user=None, number=self.order_number).first()
        if order is not None and order.check_verification_hash(self.hash):
            return order
        return None


class _StatusPageMixin:
    """The order's status page: its timeline, and while it is on hold the
    reason and the form to answer it. Who may see the order (and so answer
    for it) is decided by get_object, before anything is read or posted."""

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        order = self.object
        ctx["timeline"] = tracking.order_timeline(order=order)
        ctx["hold_reason"] = tracking.hold_reason(order=order)
        ctx["invoice"] = invoices.invoice_terms(order=order)
        if ctx["hold_reason"] is not None:
            ctx["hold_form"] = kwargs.get("hold_form") or HoldAnswerForm()
            ctx["answer_hold"] = ANSWER_HOLD
        return ctx

    def post(self, request, *args, **kwargs):
        if request.POST.get("action") != ANSWER_HOLD:
            other = getattr(super(), "post", None)
            if other is None:
                return HttpResponseNotAllowed(["GET"])
            return other(request, *args, **kwargs)
        self.object = order = self.get_object()
        form = HoldAnswerForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(hold_form=form))
        try:
            actions.order_prescription_supply(
                order=order, actor=request.user, supplied=form.supplied()
            )
        except actions.OrderActionRefused:
            messages.error(
                request,
                f"Order {order.number} is not on hold now, so nothing was sent. "
                f"Please call us on {settings.PHARMACY['phone']} with any questions.",
            )
        else:
            messages.success(
                request,
                "Thank you: we have sent it to our pharmacist, who will look at "
                "your order again.",
            )
        return redirect(request.get_full_path())


class AnonymousOrderDetailView(
    _StatusPageMixin, _GuestOrderMixin, oscar_views.AnonymousOrderDetailView
):
    pass


class AnonymousOrderFormView(_GuestOrderMixin, oscar_views.AnonymousOrderFormView):
    def get(self, request, *args, **kwargs):
        if self.get_object() is not None:
            return redirect(self.get_success_url())
        return super().get(request, *args, **kwargs)


class OrderDetailView(_StatusPageMixin, oscar_views.OrderDetailView):
    pass


class GuestAccountView(_GuestOrderMixin, AnonymousOrderMixin, generic.FormView):
    """Refills need an account: a guest asks for one from their order's page.
    It is registration, for the order's email: the same "check your inbox"
    whatever the address, and the account opens (with the order in it) only
    when the emailed link is followed (registration.account_activate)."""

    template_name = "refills/guest_account.html"
    form_class = account_views.RegistrationForm

    def dispatch(self, request, *args, **kwargs):
        # The same proof Oscar's guest order page asks for: the link's hash and
        # the order's email, entered once in this browser.
        self.order = self.get_object()
        if self.order is None:
            return redirect(
                "customer:anon-order-form",
                order_number=kwargs["order_number"],
                hash=kwargs["hash"],
            )
        return super().dispatch(request, *args, **kwargs)

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        # The order's email, which its link proves; not something to retype.
        form.fields["email"].disabled = True
        form.fields.pop("redirect_url", None)
        return form

    def get_initial(self):
        return {"email": self.order.guest_email}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["order"] = self.order
        return ctx

    def form_valid(self, form):
        form.cleaned_data["redirect_url"] = reverse("refills:list")
        return account_views.check_inbox(self.request, form)
