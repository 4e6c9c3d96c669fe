"""{% public_url path %}: an absolute link for an email, from PUBLIC_BASE_URL."""

from django import template
from django.conf import settings

from pharmacy.core.links import absolute_reverse, absolute_url

register = template.Library()


@register.simple_tag
def public_url(path: str) -> str:
    return absolute_url(path)


@register.simple_tag
def public_reverse(viewname: str) -> str:
    return absolute_reverse(viewname)


@register.simple_tag
def pharmacy_details() -> dict:
    """The pharmacy's name and address, for emails sent without a request
    (account emails get no context processors)."""
    return settings.PHARMACY
