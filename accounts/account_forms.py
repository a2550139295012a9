"""allauth's forms with plain English labels and messages (see settings.ACCOUNT_FORMS).

Kept apart from forms.py because allauth imports forms.SignupForm while it loads its own.
"""

from allauth.account import forms as allauth_forms

from .forms import PlainEnglishMixin


class LoginForm(PlainEnglishMixin, allauth_forms.LoginForm):
    pass


class AllauthSignupForm(PlainEnglishMixin, allauth_forms.SignupForm):
    pass


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
