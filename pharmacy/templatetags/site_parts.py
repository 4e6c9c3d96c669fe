"""{% site_footer %}: the footer every page ends with. It depends on the
pharmacy's settings and fixed links only, so each process draws it once per
set of settings instead of on every page."""

import functools
import json

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag
def site_footer() -> SafeString:
    return _footer(json.dumps(settings.PHARMACY, sort_keys=True, default=str))


@functools.lru_cache(maxsize=4)
def _footer(pharmacy: str) -> SafeString:
    html = render_to_string(
        "partials/site_footer.html", {"pharmacy": json.loads(pharmacy)}
    )
    return mark_safe(html)  # noqa: S308 - our template, rendered with autoescape
