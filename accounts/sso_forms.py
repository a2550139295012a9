"""The sign-up form after a first sign-in through a provider (settings.SOCIALACCOUNT_FORMS).

Kept apart from sso.py because allauth's social forms import the project's sign-up form
(accounts.forms.SignupForm) while they load.
"""

from typing import Any

from allauth.socialaccount import forms as social_forms
from allauth.socialaccount.adapter import get_adapter

from .forms import PlainEnglishMixin


class SocialSignupForm(PlainEnglishMixin, social_forms.SignupForm):
    """The project's sign-up fields; the address is the one the provider verified, and cannot
    be changed here (it was checked against the allowed domains)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        email = self.fields["email"]
        email.disabled = True
        email.help_text = f"From your {self.sociallogin.provider.name} account."


class DisconnectForm(social_forms.DisconnectForm):
    """The links that can be removed on "Sign-in connections": those to providers still
    configured (a link to a provider since switched off has no provider to name or reach)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        apps = get_adapter().list_apps(self.request)
        configured = {app.provider_id or app.provider for app in apps}
        field = self.fields["account"]
        field.queryset = self.accounts.filter(provider__in=configured)
        field.error_messages["required"] = "Choose the link to remove"
