"""Render Django form fields with the NHS.UK frontend's classes and ARIA wiring."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings
from django.forms import BaseForm, BaseFormSet, BoundField
from django.utils.safestring import SafeString

register = template.Library()

_CLASSES = {
    "textarea": "nhsuk-textarea",
    "select": "nhsuk-select",
    "selectmultiple": "nhsuk-select",
}
_MULTI = {"checkboxselectmultiple", "radioselect"}


def described_by(field: BoundField) -> str:
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}-hint")
    if field.errors:
        ids.append(f"{field.auto_id}-error")
    return " ".join(ids)


@register.simple_tag
def nhsuk_widget(field: BoundField) -> SafeString:
    """The field's widget with the NHS class for its type, its error state and hint."""
    css = _CLASSES.get(field.widget_type, "nhsuk-input")
    if field.errors:
        css += f" {css}--error"
    if field.widget_type == "number" or field.widget_type == "text" and _is_short(field):
        css += " nhsuk-input--width-10"
    attrs = {"class": css}
    if described_by(field):
        attrs["aria-describedby"] = described_by(field)
    return field.as_widget(attrs=attrs)


def _is_short(field: BoundField) -> bool:
    max_length = getattr(field.field, "max_length", None)
    return max_length is not None and max_length <= 10


@register.filter
def describedby(field: BoundField) -> str:
    return described_by(field)


@register.filter
def is_multiple_choice(field: BoundField) -> bool:
    return field.widget_type in _MULTI


@register.filter
def error_anchor(field: BoundField) -> str:
    """Where an error summary link should take the keyboard focus."""
    if field.widget_type in _MULTI or field.widget_type == "rankedgoals":
        return f"{field.auto_id}_0"
    return field.auto_id


@register.filter
def in_groups_of_four(value: str) -> str:
    """A long key in groups of four characters, easier to read and type ("ABCD EFGH")."""
    text = str(value)
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


@register.simple_tag(takes_context=True)
def error_prefix(context: template.Context) -> str:
    """ "Error: " when a form on the page has errors, so the page title says so first, as the
    NHS.UK error summary guidance asks (screen readers read the title before anything)."""
    for value in context.flatten().values():
        if isinstance(value, BaseForm | BaseFormSet) and value.is_bound and _has_errors(value):
            return "Error: "
    return ""


def _has_errors(form: Any) -> bool:
    if isinstance(form, BaseFormSet):
        return bool(form.non_form_errors()) or any(form.errors)
    return bool(form.errors)


@register.simple_tag
def support_email() -> str:
    """The SUPPORT_EMAIL setting, for pages rendered without a request (the 500 page)."""
    return settings.SUPPORT_EMAIL


@register.simple_tag
def site_name() -> str:
    """The SITE_NAME setting, for pages rendered without a request (the 500 page)."""
    return settings.SITE_NAME
