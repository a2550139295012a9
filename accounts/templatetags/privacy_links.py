"""Links to the privacy pages built alongside this one: `{% privacy_url "privacy:export" %}`.

The export and delete-account pages land in the privacy app separately; until a name is
routed, the link falls back to the fixed path agreed for it, so no page breaks either way.
"""

from __future__ import annotations

from django import template
from django.urls import NoReverseMatch, reverse

register = template.Library()

AGREED_PATHS = {
    "privacy:export": "/accounts/privacy/download/",
    "privacy:delete_account": "/accounts/privacy/delete/",
}


@register.simple_tag
def privacy_url(name: str) -> str:
    try:
        return reverse(name)
    except NoReverseMatch:
        return AGREED_PATHS[name]
