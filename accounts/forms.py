from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.forms.renderers import TemplatesSetting
from django.http import HttpRequest
from django.utils.functional import Promise

from .models import User

# Error messages in the NHS.UK style: say what to do, not what went wrong.
REQUIRED_MESSAGES = {
    "login": "Enter your email address",
    "email": "Enter your email address",
    "password": "Enter your password",
    "oldpassword": "Enter your current password",
    "password1": "Enter a password",
    "password2": "Enter the password again",
    "code": "Enter the code from your authenticator app",
}
LABELS = {
    "login": "Email address",
    "email": "Email address",
    "oldpassword": "Current password",
    "password1": "Password",
    "password2": "Password again",
    "remember": "Keep me signed in on this device",
    "code": "Code",
}
INVALID_EMAIL = "Enter an email address in the correct format, like name@example.com"
EMAIL_MAX_LENGTH = User._meta.get_field("email").max_length
# Messages allauth's forms add themselves (not through a field's error_messages).
REWORDED = {
    "You must type the same password each time.": (
        "The passwords do not match. Enter the same password in both boxes"
    ),
    "You must type the same email each time.": (
        "The email addresses do not match. Enter the same address in both boxes"
    ),
}


class PlainEnglishMixin:
    """Plain labels and messages, and no placeholders (they vanish as people type).

    Django's own messages ("Ensure this value has at most 150 characters (it has 151).") are
    replaced by ones that say what to do ("Enter 150 characters or fewer"). A form sets
    `labels` to name its fields differently (a new password, not a password).
    """

    fields: dict[str, forms.Field]
    labels: dict[str, str] = {}
    help_texts: dict[str, str] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.label = self.labels.get(name, LABELS.get(name, field.label))
            if name in self.help_texts:
                field.help_text = self.help_texts[name]
            if name in REQUIRED_MESSAGES:
                field.error_messages["required"] = REQUIRED_MESSAGES[name]
            # Django fills in %(limit_value)d from the field's length validator.
            field.error_messages.setdefault(
                "max_length", "Enter %(limit_value)d characters or fewer"
            )
            field.error_messages.setdefault(
                "min_length", "Enter at least %(limit_value)d characters"
            )
            if isinstance(field, forms.EmailField):
                field.error_messages["invalid"] = INVALID_EMAIL
                if field.max_length is None or field.max_length > EMAIL_MAX_LENGTH:
                    # Django allows 320 characters, the database column 254: allauth cut a
                    # longer address short without a word, and emailed the wrong address.
                    field.max_length = EMAIL_MAX_LENGTH
                    field.validators = [
                        v for v in field.validators if not isinstance(v, MaxLengthValidator)
                    ] + [MaxLengthValidator(EMAIL_MAX_LENGTH)]
            field.widget.attrs.pop("placeholder", None)
        if "password" in self.fields:
            self.fields["password"].help_text = ""  # pages link to password reset themselves
        if "password1" in self.fields:
            hint = f"At least {settings.PASSWORD_MIN_LENGTH} characters. Avoid common words."
            self.fields["password1"].help_text = hint

    def add_error(self, field: str | None, error: Any) -> None:
        if isinstance(error, str | Promise):  # allauth's messages are lazy translations
            error = REWORDED.get(str(error), error)
        super().add_error(field, error)  # type: ignore[misc]


class SignupForm(forms.Form):
    """Extra fields on allauth's signup form: the person's full name."""

    full_name = forms.CharField(
        label="Full name",
        max_length=150,
        help_text="As you would like mentors and programme managers to see it.",
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={
            "required": "Enter your full name",
            "max_length": "Enter your full name in 150 characters or fewer",
        },
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


class NameForm(PlainEnglishMixin, forms.ModelForm):
    """The account settings' "Name" page: a title (optional) and the full name."""

    class Meta:
        model = User
        fields = ["title", "full_name"]
        labels = {"title": "Title (optional)", "full_name": "Full name"}
        help_texts = {
            "title": "For example Dr, Prof, Mr or Ms. Leave it blank if you prefer.",
            "full_name": "Mentors, mentees and your programme team see this name.",
        }
        widgets = {
            "title": forms.TextInput(attrs={"autocomplete": "honorific-prefix"}),
            "full_name": forms.TextInput(attrs={"autocomplete": "name"}),
        }
        error_messages = {"full_name": {"required": "Enter your full name"}}

    def clean_full_name(self) -> str:
        name = " ".join(self.cleaned_data["full_name"].split())
        if not name:
            raise forms.ValidationError("Enter your full name")
        return name

    def clean_title(self) -> str:
        return " ".join(self.cleaned_data["title"].split())
