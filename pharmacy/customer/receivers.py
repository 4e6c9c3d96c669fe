from django.contrib import messages
from django.dispatch import receiver
from oscar.apps.customer.signals import user_registered


@receiver(user_registered, dispatch_uid="accounts_welcome_message")
def welcome_message(sender, request, user, **kwargs):
    if request is not None:
        messages.success(
            request,
            f"Welcome, your account is ready. You are signed in as {user.email}.",
        )
