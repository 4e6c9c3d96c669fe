"""{% site_footer %}: the footer every page ends with. It depends on the
pharmacy's settings and fixed links only, so each process draws it once, and
again when those settings change."""

import functools

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag
def site_footer() -> SafeString:
    return _footer()


@functools.cache
def _footer() -> SafeString:
    html = render_to_string(
        "partials/site_footer.html", {"pharmacy": settings.PHARMACY}
    )
    return mark_safe(html)  # noqa: S308 - our template, rendered with autoescape


@receiver(setting_changed)
def _pharmacy_settings_changed(*, setting, **kwargs):
    if setting == "PHARMACY":
        _footer.cache_clear()
