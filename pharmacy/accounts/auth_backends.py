"""Sign-in backends that cost the same for a known and an unknown account.

Oscar's EmailBackend returns at once when no account has the email, while a
known email pays for a password hash: the time told an attacker which emails
are customers. Both backends here hash the submitted password against a dummy
when no account matches, so every failed sign-in does the same work.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.hashers import make_password
from oscar.apps.customer.auth_backends import EmailBackend as OscarEmailBackend
from oscar.apps.customer.utils import normalise_email


def dummy_password_check(password: str | None) -> None:
    """Hash the password with the default hasher and throw the result away:
    the work a real check would do, for an account that does not exist."""
    make_password(password or "")


class EmailBackend(OscarEmailBackend):
    """Oscar's email sign-in, hashing a dummy for an unknown email."""

    def authenticate(self, request, email=None, password=None, **kwargs):
        candidate = email if email is not None else kwargs.get("username")
        if candidate is None:
            return None
        clean_email = normalise_email(candidate)
        if "@" in clean_email and not (
            get_user_model().objects.filter(email__iexact=clean_email).exists()
        ):
            dummy_password_check(password)
            return None
        return super().authenticate(request, email=email, password=password, **kwargs)


class UsernameBackend(ModelBackend):
    """Django's username sign-in. It already hashes a dummy for an unknown
    username; an email address is left to EmailBackend so that an unknown
    email costs one hash, like a known one."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username and "@" in username:
            return None
        return super().authenticate(request, username, password, **kwargs)


def axes_username(request, credentials) -> str:
    """What django-axes counts failures against: the account the typed name
    means, so its username and its email share one counter (ten wrong codes
    for "review-moderator" lock "review-moderator@..." too). An account is
    counted under its email (its username if it has none); a name that is no
    account's is counted as typed. Case-folded either way."""
    typed = ((credentials or {}).get("username") or "").strip()
    account = _account_named(typed) if typed else None
    if account is None:
        return typed.lower()
    return (account.email or account.get_username()).strip().lower()


def _account_named(typed: str):
    """The account a sign-in name means, as the backends read it: a username,
    or (with an "@") an email."""
    users = get_user_model().objects
    field = get_user_model().USERNAME_FIELD
    account = users.filter(**{f"{field}__iexact": typed}).order_by("pk").first()
    if account is None and "@" in typed:
        account = (
            users.filter(email__iexact=normalise_email(typed)).order_by("pk").first()
        )
    return account


def lockout_response(request, original_response=None, credentials=None):
    """django-axes' answer to a locked-out sign-in: our page, HTTP 429, with
    nothing in it that depends on the account (not even the username typed)."""
    from django.conf import settings
    from django.shortcuts import render

    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(
        request,
        "pharmacy/locked_out.html",
        {"cooloff_minutes": minutes},
        status=429,
    )
