from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.forms.renderers import TemplatesSetting
from django.http import HttpRequest

from .models import User

# Error messages in the NHS.UK style: say what to do, not what went wrong.
REQUIRED_MESSAGES = {
    "login": "Enter your email address",
    "email": "Enter your email address",
    "password": "Enter your password",
    "oldpassword": "Enter your current password",
    "password1": "Enter a password",
    "password2": "Enter the password again",
}
LABELS = {
    "login": "Email address",
    "email": "Email address",
    "oldpassword": "Current password",
    "password1": "Password",
    "password2": "Password again",
    "remember": "Keep me signed in on this device",
}


class PlainEnglishMixin:
    """Plain labels and messages, and no placeholders (they vanish as people type)."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.label = LABELS.get(name, field.label)
            if name in REQUIRED_MESSAGES:
                field.error_messages["required"] = REQUIRED_MESSAGES[name]
            field.widget.attrs.pop("placeholder", None)
        if "password" in self.fields:
            self.fields["password"].help_text = ""  # pages link to password reset themselves
        if "password1" in self.fields:
            hint = f"At least {settings.PASSWORD_MIN_LENGTH} characters. Avoid common words."
            self.fields["password1"].help_text = hint


class SignupForm(forms.Form):
    """Extra fields on allauth's signup form: the person's full name."""

    full_name = forms.CharField(
        label="Full name",
        max_length=150,
        help_text="As you would like mentors and programme managers to see it.",
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": "Enter your full name"},
    )

    field_order = ["full_name", "email", "password1", "password2"]

    def clean_full_name(self) -> str:
        name = " ".join(self.cleaned_data["full_name"].split())
        if not name:
            raise forms.ValidationError("Enter your full name")
        return name

    def signup(self, request: HttpRequest, user: User) -> None:
        user.full_name = self.cleaned_data["full_name"]
        user.save(update_fields=["full_name"])


class NHSFormRenderer(TemplatesSetting):
    """Render `{{ form }}` and `{{ field.as_field_group }}` with NHS.UK frontend markup."""

    form_template_name = "_partials/form.html"
    field_template_name = "_partials/field.html"
