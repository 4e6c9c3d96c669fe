"""How a person is named on a page: a customer by name and email, never by
the username Oscar generates for them (a random string nobody recognises);
staff by their name, or the username they sign in with."""


def person_label(*, user) -> str:
    """ "Kim Lee (kim@example.com)", or the email alone for a customer who gave
    no name; staff by full name or username. "" for no one."""
    if user is None:
        return ""
    name = user.get_full_name().strip()
    if user.is_staff:
        return name or user.get_username()
    email = user.email or ""
    if name and email:
        return f"{name} ({email})"
    return name or email or "a customer"


def order_customer_label(*, order) -> str:
    """Who placed an order: the account's person, or the guest's email."""
    if order.user_id:
        return person_label(user=order.user)
    return f"{order.guest_email} (guest)" if order.guest_email else "a guest"
