"""Forms for deleting an account: the person's own (password, and a code from their
authenticator if they have one) and staff's in the admin (a reason). They check only the
input; what erasure does is privacy/erasure.py's."""

from __future__ import annotations

import time
from typing import Any

from allauth.account import app_settings as account_settings
from allauth.account.internal.flows.login import get_authentication_records
from allauth.core import ratelimit
from allauth.mfa.models import Authenticator
from django import forms
from django.http import HttpRequest

REASON_MAX_LENGTH = 500


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password"},
    )
    code = forms.CharField(
        label="Code from your authenticator app",
        help_text="The 6-digit code your app shows now, or one of your recovery codes.",
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        error_messages={"required": "Enter the code from your authenticator app"},
    )

    def __init__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request = request
        self.user = user = request.user
        self.authenticators = list(
            Authenticator.objects.filter(
                user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES]
            )
        )
        if not self.authenticators:
            del self.fields["code"]
        # Someone who only ever signs in through their organisation's account (SSO) has no
        # password to give: a sign-in with their provider in the last few minutes stands in
        # for it (allauth cannot send them back to the provider to confirm it is them).
        self.needs_password = user.has_usable_password()
        if not self.needs_password:
            del self.fields["password"]

    def signed_in_recently(self) -> bool:
        records = get_authentication_records(self.request, self.user)
        latest = max((record.get("at", 0) for record in records), default=0)
        return time.time() - latest < account_settings.REAUTHENTICATION_TIMEOUT

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if not self.needs_password:
            if not self.signed_in_recently():
                raise forms.ValidationError(
                    "To confirm it is you, sign out, sign in again with your organisation's "
                    "account, then come back to this page within 5 minutes"
                )
            code = "".join((cleaned.get("code") or "").split())
            if self.authenticators and code and not self._code_is_valid(code):
                self.add_error(
                    "code",
                    "That code is not right or has expired. Enter the code your app shows now",
                )
            return cleaned
        password = cleaned.get("password")
        # The same limit as allauth's "confirm it is you" (ACCOUNT_RATE_LIMITS["reauthenticate"]),
        # so a signed-in session left open cannot be used to guess the password.
        if password and not ratelimit.consume(
            self.request, action="reauthenticate", user=self.user
        ):
            raise forms.ValidationError("Too many attempts. Wait a minute, then try again")
        if password and not self.user.check_password(password):
            self.add_error("password", "Your password is not right. Enter it again")
            return cleaned  # never try (and use up) a recovery code behind a wrong password
        code = "".join((cleaned.get("code") or "").split())
        if password and self.authenticators and code and not self._code_is_valid(code):
            self.add_error(
                "code", "That code is not right or has expired. Enter the code your app shows now"
            )
        return cleaned

    def _code_is_valid(self, code: str) -> bool:
        # TOTP first: a recovery code is used up when it is accepted.
        ordered = sorted(self.authenticators, key=lambda a: a.type != Authenticator.Type.TOTP)
        return any(authenticator.wrap().validate_code(code) for authenticator in ordered)


class StaffErasureForm(forms.Form):
    reason = forms.CharField(
        label="Why are you erasing this person's data?",
        help_text='For example: "Request by email, ticket 4411". This is kept in the erasure '
        "log: do not write the person's name or any detail about them.",
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Say why you are erasing this person's data",
            "max_length": f"Keep the reason to {REASON_MAX_LENGTH} characters or fewer",
        },
    )
