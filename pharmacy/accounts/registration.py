"""Customer registration that does not tell who is already a customer.

Registering answers "check your inbox" whatever the email. A new address gets
an inactive account and a link that activates it; an address that already has
an account gets a note saying someone tried to register with it. Either way
the password is hashed, so the two paths do the same work.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlencode, urlsafe_base64_decode, urlsafe_base64_encode
from oscar.apps.customer.forms import generate_username
from oscar.apps.customer.utils import normalise_email
from oscar.apps.order.models import Order
from oscar.core.compat import existing_user_fields

from pharmacy.core.emails import account_email_send
from pharmacy.core.links import absolute_url


def _activation_link(*, user, next_url: str) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("account-activate", kwargs={"uidb64": uid, "token": token})
    if next_url:
        path += "?" + urlencode({"next": next_url})
    return absolute_url(path)


def registration_request(*, email: str, password: str, next_url: str = "") -> None:
    """Start a registration; the caller shows "check your inbox" whatever happens."""
    email = normalise_email(email)
    user_model = get_user_model()
    with transaction.atomic():
        user = user_model.objects.filter(email__iexact=email).first()
        if user is not None and user.is_active:
            make_password(password)  # the same hashing work as a new account
            subject = "Someone tried to register with your email address"
            body = (
                "Someone, perhaps you, tried to create an account with this "
                "email address, which already has one. Nothing was changed.\n\n"
                "If it was you, sign in here, or reset your password if you "
                f"have forgotten it:\n{absolute_url(reverse('customer:login'))}\n"
                f"{absolute_url(reverse('password-reset'))}\n\n"
                "If it was not you, you can ignore this email."
            )
        else:
            if user is None:
                user = user_model(email=email, is_active=False)
                if existing_user_fields(["username"]):
                    user.username = generate_username()
            user.set_password(password)
            user.save()
            link = _activation_link(user=user, next_url=next_url)
            subject = "Confirm your email address"
            body = (
                "Thank you for registering. Open this link to confirm your email "
                f"address and start using your account:\n{link}\n\n"
                "If you did not register, ignore this email: the account stays "
                "inactive."
            )
    account_email_send(to=email, subject=subject, body=body)


def account_activate(*, uidb64: str, token: str):
    """The inactive account the link was made for, now active; or None for a
    bad or used link (the token covers the password and last sign-in)."""
    try:
        pk = force_str(urlsafe_base64_decode(uidb64))
        user = get_user_model().objects.get(pk=pk)
    except (ValueError, TypeError, OverflowError, get_user_model().DoesNotExist):
        return None
    if user.is_active or not default_token_generator.check_token(user, token):
        return None
    with transaction.atomic():
        user.is_active = True
        user.save(update_fields=["is_active"])
        # The link proved the address: the guest orders placed with it are
        # this customer's (how a guest's "create an account" gets its order).
        Order.objects.filter(user__isnull=True, guest_email__iexact=user.email).update(
            user=user
        )
    return user
