"""allauth's adapters: who may sign up, how allauth's emails are sent (through the outbox), and
how authenticator secrets are stored (encrypted)."""

from __future__ import annotations

import ipaddress
import secrets
import time
from typing import Any

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.authentication import get_authentication_records
from allauth.core import context as allauth_context
from allauth.mfa.adapter import DefaultMFAAdapter
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.sites.shortcuts import get_current_site
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.core.mail import EmailMultiAlternatives
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import strip_tags

from . import mfa_secrets

# allauth's messages, in the NHS.UK voice: say what happened and what to do.
ACCOUNT_MESSAGES = {
    "account_inactive": "This account is closed.",
    "cannot_remove_primary_email": (
        "You cannot remove your main email address. Make another address your main one first."
    ),
    "duplicate_email": "This email address is already on your account.",
    "email_password_mismatch": (
        "The email address or password is not right. Check them and try again."
    ),
    "email_taken": "An account already uses this email address.",
    "enter_current_password": "Enter your current password",
    "incorrect_code": "The code is not right. Enter the code your authenticator app shows now.",
    "incorrect_password": "The password is not right. Check it and try again.",
    "invalid_or_expired_key": "This link has expired or has been used. Ask for a new one.",
    "invalid_password_reset": "This link has expired or has been used. Ask for a new one.",
    "max_email_addresses": "You cannot add more than %d email addresses.",
    "too_many_login_attempts": ("Too many failed login attempts. Wait 5 minutes, then try again."),
    "unknown_email": "No account uses this email address.",
    "unverified_primary_email": "Confirm your email address first.",
    "same_as_current": "Enter something different from what you have now.",
    "rate_limited": "You have tried too many times. Wait a minute, then try again.",
}
MFA_MESSAGES = {
    "add_email_blocked": (
        "You cannot add an email address while your account uses an authenticator app."
    ),
    "cannot_delete_authenticator": "You cannot turn off your authenticator app.",
    "cannot_generate_recovery_codes": (
        "Set up your authenticator app before you make recovery codes."
    ),
    "incorrect_code": "The code is not right. Enter the code your authenticator app shows now.",
    "unverified_email": "Confirm your email address before you set up an authenticator app.",
    "rate_limited": "You have tried too many times. Wait a minute, then try again.",
}
# Django's password validators, by their error codes.
PASSWORD_MESSAGES = {
    "password_too_short": "Your password must be at least {min} characters",
    "password_too_common": "This password is too easy to guess. Choose a less common one",
    "password_entirely_numeric": "Your password must include letters or symbols, not only numbers",
    "password_too_similar": "Your password must not be like your name or email address",
}


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {**DefaultAccountAdapter.error_messages, **ACCOUNT_MESSAGES}

    def clean_password(self, password: str, user: AbstractBaseUser | None = None) -> str:
        """Django's validators, with their messages in plain words."""
        try:
            return super().clean_password(password, user)
        except ValidationError as error:
            raise ValidationError([_plain_password_error(e) for e in error.error_list]) from None

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        """Sign-up can be closed (SIGNUP_OPEN=0) while a programme is invitation-only."""
        return settings.SIGNUP_OPEN

    def get_client_ip(self, request: HttpRequest) -> str:
        """The client's address for rate limits, behind TRUSTED_PROXY_COUNT proxies."""
        try:
            return super().get_client_ip(request)
        except ImproperlyConfigured:
            # X-Forwarded-For has fewer entries than there are trusted proxies: the request
            # came in past the outer ones (straight to the load balancer). allauth would answer
            # 500; the first entry was appended by the first of our proxies it met, so it is
            # the address that proxy saw, and cannot be forged.
            first = request.headers.get("X-Forwarded-For", "").split(",")[0].strip()
            try:
                return str(ipaddress.ip_address(first))
            except ValueError:
                raise PermissionDenied("Unable to determine client IP address") from None

    def is_reauthentication_required(self, *, app: str, **kwargs: Any) -> bool:
        """A password (and code) typed at sign-in in the last ACCOUNT_REAUTHENTICATION_TIMEOUT
        seconds counts as confirming it is them.

        allauth counts only its own "confirm it's you" step, so a manager sent straight from
        signing in to set up their authenticator was asked for the password they had just
        typed. Sessions with no recorded sign-in (older, or made by other means) are asked.
        """
        if self.request is not None and signed_in_recently(self.request):
            return False
        return super().is_reauthentication_required(app=app, **kwargs)

    def get_login_stages(self) -> list[str]:
        """allauth's, with the MFA step that knows about providers' MFA (accounts/sso.py)."""
        from .sso import replace_mfa_stage

        return replace_mfa_stage(super().get_login_stages())

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """Write allauth's email to the outbox; a worker sends it after the request commits."""
        # allauth would send on the request's thread: a slow or refusing mail server then
        # turned sign-up and password reset into a 500 (and left a half-made account). The
        # outbox sends it later, with retries, like every other email.
        from mentorship.outbox import queue_message

        # Some emails (MFA notifications) are sent from an on-commit hook, which may run after
        # allauth's per-request context has gone: fall back on the adapter's own request.
        request = allauth_context.request or self.request
        ctx = {
            "request": request,
            "email": email,
            "current_site": get_current_site(request) if request is not None else None,
            "site_name": settings.SITE_NAME,
            "site_url": settings.SITE_URL,
            **context,
        }
        message = self.render_mail(template_prefix, email, ctx)
        if not isinstance(message, EmailMultiAlternatives):  # an HTML-only template
            html = message.body
            message = EmailMultiAlternatives(message.subject, strip_tags(html), to=message.to)
            message.attach_alternative(html, "text/html")
        if not any(mime == "text/html" for _, mime in message.alternatives):
            message.attach_alternative(_html_from_text(message, ctx), "text/html")

        user = ctx.get("user")
        recipient = user if isinstance(user, AbstractBaseUser) and user.pk else None
        # Each allauth email is a new event (a second reset link is not a duplicate of the
        # first), so its outbox key is unique to this send.
        about = f"user:{recipient.pk}" if recipient else "no-account"
        queue_message(
            template_prefix.replace("/email/", ".")[:40],
            about=f"{about}:{secrets.token_hex(8)}",
            to_email=email,
            message=message,
            recipient=recipient,
        )

    def send_notification_mail(
        self,
        template_prefix: str,
        user: AbstractBaseUser,
        context: dict[str, Any] | None = None,
        email: str | None = None,
    ) -> None:
        """Security notifications know whom they are for and where to go if it was not them."""
        extra = {
            "user": user,
            "password_reset_url": settings.SITE_URL + reverse("account_reset_password"),
        }
        super().send_notification_mail(template_prefix, user, {**extra, **(context or {})}, email)


class MFAAdapter(DefaultMFAAdapter):
    error_messages = {**DefaultMFAAdapter.error_messages, **MFA_MESSAGES}

    def encrypt(self, text: str) -> str:
        """TOTP keys and recovery-code seeds are stored encrypted (see mfa_secrets.py)."""
        return mfa_secrets.encrypt(text)

    def decrypt(self, encrypted_text: str) -> str:
        """Fails loudly (InvalidToken) rather than guess: a secret no configured key opens
        means a key was removed too soon, and any stand-in value would weaken sign-in."""
        return mfa_secrets.decrypt(encrypted_text)


def _plain_password_error(error: ValidationError) -> ValidationError:
    message = PASSWORD_MESSAGES.get(error.code or "")
    if message is None:
        return error
    return ValidationError(message.format(min=settings.PASSWORD_MIN_LENGTH), code=error.code)


def signed_in_recently(request: HttpRequest) -> bool:
    """The signed-in person typed their password (or a code) within the reauthentication
    window, in this session."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    records = get_authentication_records(request, user)
    typed = [
        record["at"]
        for record in records
        if record.get("method") in {"password", "mfa"} and isinstance(record.get("at"), int | float)
    ]
    return bool(typed) and time.time() - max(typed) < account_settings.REAUTHENTICATION_TIMEOUT


def _html_from_text(message: EmailMultiAlternatives, context: dict[str, Any]) -> str:
    """allauth's templates are plain text; wrap the text in the emails' HTML frame."""
    return render_to_string(
        "emails/account_body.html",
        {**context, "subject": message.subject, "body": message.body},
    )
