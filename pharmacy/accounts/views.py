"""Oscar's registration pages, answering "check your inbox" for any email
(pharmacy/registration.py decides what the mail says)."""

from django.contrib import messages
from django.contrib.auth import login
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import generic
from oscar.apps.customer.forms import EmailUserCreationForm
from oscar.apps.customer.utils import normalise_email
from oscar.apps.customer.views import AccountAuthView as OscarAccountAuthView
from oscar.apps.customer.views import (
    AccountRegistrationView as OscarAccountRegistrationView,
)

from pharmacy.accounts import registration

CHECK_INBOX_TEMPLATE = "oscar/customer/registration_sent.html"


class RegistrationForm(EmailUserCreationForm):
    """Oscar's form without its "a user with that email address already
    exists" error: that answer is given by email, to the address's owner."""

    def clean_email(self):
        return normalise_email(self.cleaned_data["email"])

    def validate_unique(self):
        pass  # the email is not unique-checked here, on purpose


def check_inbox(request, form):
    registration.registration_request(
        email=form.cleaned_data["email"],
        password=form.cleaned_data["password1"],
        next_url=form.cleaned_data.get("redirect_url") or "",
    )
    return render(request, CHECK_INBOX_TEMPLATE, {"email": form.cleaned_data["email"]})


class AccountRegistrationView(OscarAccountRegistrationView):
    form_class = RegistrationForm

    def form_valid(self, form):
        return check_inbox(self.request, form)


class AccountAuthView(OscarAccountAuthView):
    registration_form_class = RegistrationForm

    def validate_registration_form(self):
        form = self.get_registration_form(bind_data=True)
        if form.is_valid():
            return check_inbox(self.request, form)
        return self.render_to_response(self.get_context_data(registration_form=form))


class AccountActivateView(generic.View):
    def get(self, request, uidb64, token):
        user = registration.account_activate(uidb64=uidb64, token=token)
        if user is None:
            return render(request, "oscar/customer/activation_failed.html", status=400)
        login(request, user, backend="pharmacy.accounts.auth_backends.EmailBackend")
        messages.success(
            request,
            f"Welcome, your account is ready. You are signed in as {user.email}.",
        )
        next_url = request.GET.get("next", "")
        if not url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}
        ):
            next_url = "customer:summary"
        return redirect(next_url)
