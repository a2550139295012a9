from __future__ import annotations

from django import forms
from django.forms.renderers import TemplatesSetting
from django.http import HttpRequest

from .models import User


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
