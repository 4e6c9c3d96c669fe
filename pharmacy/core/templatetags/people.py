"""{{ user|person }}: a person by name and email (pharmacy/core/people.py)."""

from django import template

from pharmacy.core.people import order_customer_label, person_label

register = template.Library()


@register.filter
def person(user) -> str:
    return person_label(user=user)


@register.filter
def customer(order) -> str:
    """{{ order|customer }}: who placed the order, by name and email."""
    return order_customer_label(order=order)
