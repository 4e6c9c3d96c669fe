from django.conf import settings
from django.contrib.auth import logout as auth_logout
from django.shortcuts import redirect
from django.urls import reverse
from django.views import generic
from oscar.apps.customer import views as oscar_views
from oscar.apps.customer.mixins import AnonymousOrderMixin
from oscar.apps.order.models import Order

from checkout.orders import tracking
from pharmacy.accounts import views as account_views


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


class AnonymousOrderDetailView(_GuestOrderMixin, oscar_views.AnonymousOrderDetailView):
    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["timeline"] = tracking.order_timeline(order=self.object)
        return ctx


class AnonymousOrderFormView(_GuestOrderMixin, oscar_views.AnonymousOrderFormView):
    def get(self, request, *args, **kwargs):
        if self.get_object() is not None:
            return redirect(self.get_success_url())
        return super().get(request, *args, **kwargs)


class OrderDetailView(oscar_views.OrderDetailView):
    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["timeline"] = tracking.order_timeline(order=self.object)
        return ctx


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
