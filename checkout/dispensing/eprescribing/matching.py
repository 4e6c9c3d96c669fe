"""Whose prescription it is: a customer matches when exactly one account has
an order for a patient of that name and date of birth, and the account's
email or the phone given with such an order is the one the prescriber sent.
Anything less, or more than one account, waits for a pharmacist to match it
by hand."""

import re

from django.contrib.auth import get_user_model

from checkout.dispensing.models import PatientDetails


def _name(text: str) -> str:
    return " ".join(text.casefold().split())


def _phone(text: str) -> str:
    # The last ten digits: "+1 (608) 555-0100" and "608-555-0100" are one number.
    digits = re.sub(r"\D", "", text or "")
    return digits[-10:] if len(digits) >= 10 else ""


def customer_match(
    *,
    first_name: str,
    middle_name: str,
    last_name: str,
    date_of_birth,
    email: str,
    phone: str,
):
    """The one customer this patient is, or None."""
    names = {
        _name(f"{first_name} {last_name}"),
        _name(f"{first_name} {middle_name} {last_name}"),
    }
    email = email.strip().casefold()
    phone = _phone(phone)
    users = set()
    patients = PatientDetails.objects.filter(
        date_of_birth=date_of_birth, order__user__isnull=False
    ).select_related("order__user", "order__shipping_address")
    for patient in patients:
        if _name(patient.full_name) not in names:
            continue
        user = patient.order.user
        address = patient.order.shipping_address
        phones = {_phone(patient.counselling_phone)}
        if address is not None:
            phones.add(_phone(str(address.phone_number or "")))
        if (email and user.email.casefold() == email) or (phone and phone in phones):
            users.add(user.pk)
    if len(users) != 1:
        return None
    return get_user_model().objects.get(pk=users.pop())
