"""allauth's forms with plain English labels and messages (see settings.ACCOUNT_FORMS).

Kept apart from forms.py because allauth imports forms.SignupForm while it loads its own.
"""

from typing import Any

from allauth.account import forms as allauth_forms
from allauth.mfa.base import forms as mfa_forms
from allauth.mfa.recovery_codes import forms as recovery_code_forms
from allauth.mfa.totp import forms as totp_forms
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


NEW_PASSWORD = {"password1": "New password", "password2": "New password again"}


class ChangePasswordForm(PlainEnglishMixin, allauth_forms.ChangePasswordForm):
    labels = NEW_PASSWORD


class SetPasswordForm(PlainEnglishMixin, allauth_forms.SetPasswordForm):
    pass


class ResetPasswordForm(PlainEnglishMixin, allauth_forms.ResetPasswordForm):
    pass


class ResetPasswordKeyForm(PlainEnglishMixin, allauth_forms.ResetPasswordKeyForm):
    labels = NEW_PASSWORD


class ReauthenticateForm(PlainEnglishMixin, allauth_forms.ReauthenticateForm):
    pass


# allauth.mfa's forms (settings.MFA_FORMS)


class AuthenticateForm(PlainEnglishMixin, mfa_forms.AuthenticateForm):
    help_texts = {"code": "The 6-digit code your authenticator app shows, or a recovery code."}


class MFAReauthenticateForm(PlainEnglishMixin, mfa_forms.ReauthenticateForm):
    help_texts = AuthenticateForm.help_texts


class ActivateTOTPForm(PlainEnglishMixin, totp_forms.ActivateTOTPForm):
    help_texts = {"code": "The 6-digit code the app shows after you scan the QR code."}


class DeactivateTOTPForm(PlainEnglishMixin, totp_forms.DeactivateTOTPForm):
    pass


class GenerateRecoveryCodesForm(PlainEnglishMixin, recovery_code_forms.GenerateRecoveryCodesForm):
    pass
