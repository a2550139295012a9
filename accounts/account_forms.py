"""allauth's forms with plain English labels and messages (see settings.ACCOUNT_FORMS).

Kept apart from forms.py because allauth imports forms.SignupForm while it loads its own.
"""

from typing import Any

from allauth.account import forms as allauth_forms
from django.contrib.auth.hashers import make_password
from django.http import HttpRequest

from .forms import PlainEnglishMixin


class LoginForm(PlainEnglishMixin, allauth_forms.LoginForm):
    pass


class AllauthSignupForm(PlainEnglishMixin, allauth_forms.SignupForm):
    def try_save(self, request: HttpRequest) -> tuple[Any, Any]:
        """Sign up, doing the same slow work whether or not the address is taken."""
        if self.account_already_exists:
            # A new account hashes its password (Argon2, about 100 ms); a taken address
            # only queues an email. Without this hash the response time alone told an
            # attacker which addresses have accounts, despite the identical page.
            make_password(self.cleaned_data.get("password1") or "")
        return super().try_save(request)


class AddEmailForm(PlainEnglishMixin, allauth_forms.AddEmailForm):
    pass


class ChangePasswordForm(PlainEnglishMixin, allauth_forms.ChangePasswordForm):
    pass


class SetPasswordForm(PlainEnglishMixin, allauth_forms.SetPasswordForm):
    pass


class ResetPasswordForm(PlainEnglishMixin, allauth_forms.ResetPasswordForm):
    pass


class ResetPasswordKeyForm(PlainEnglishMixin, allauth_forms.ResetPasswordKeyForm):
    pass


class ReauthenticateForm(PlainEnglishMixin, allauth_forms.ReauthenticateForm):
    pass
