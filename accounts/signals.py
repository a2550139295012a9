"""Security events go to the "security" logger; a verified email address gets a welcome.

Log lines carry the user id, an obscured email address and the client IP, never a password,
a token or a one-time code.
"""

from __future__ import annotations

import logging
from typing import Any

from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.account.signals import email_confirmed, password_changed, password_reset
from allauth.mfa.signals import authenticator_added, authenticator_removed
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.dispatch import receiver
from django.http import HttpRequest

log = logging.getLogger("security")


def _ip(request: HttpRequest | None) -> str:
    """The client's address as the rate limits see it: behind a trusted proxy, the real one."""
    if request is None:
        return "-"
    try:
        return get_account_adapter(request).get_client_ip(request)
    except (PermissionDenied, ImproperlyConfigured):
        # No usable address, or X-Forwarded-For shorter than the trusted proxy count: log
        # what the connection says rather than lose the event.
        return request.META.get("REMOTE_ADDR", "-")


def obscure_email(email: str) -> str:
    """a.person@example.org -> a***@example.org: enough to follow a trail, not to harvest."""
    local, _, domain = (email or "").partition("@")
    return f"{local[:1]}***@{domain}" if domain else "***"


@receiver(user_logged_in)
def log_login(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    log.info("login user=%s ip=%s", user.pk, _ip(request))


@receiver(user_logged_out)
def log_logout(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    if user is None:
        return
    log.info("logout user=%s ip=%s", user.pk, _ip(request))


@receiver(user_login_failed)
def log_login_failed(
    sender: Any, credentials: dict, request: HttpRequest | None = None, **kwargs: Any
) -> None:
    email = credentials.get("email") or credentials.get("username") or ""
    log.warning("login_failed email=%s ip=%s", obscure_email(str(email)), _ip(request))


@receiver(password_changed)
def log_password_changed(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    log.info("password_changed user=%s ip=%s", user.pk, _ip(request))


@receiver(password_reset)
def log_password_reset(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    log.info("password_reset user=%s ip=%s", user.pk, _ip(request))


@receiver(password_reset)
def verify_address_on_password_reset(
    sender: Any, request: HttpRequest, user: Any, **kwargs: Any
) -> None:
    """A reset link only reaches the person's own address, so following it proves they own it:
    someone invited by a manager's import is not asked to confirm their email again."""
    from allauth.account.models import EmailAddress

    EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=False).update(
        verified=True
    )


@receiver(authenticator_added)
def log_mfa_added(
    sender: Any, request: HttpRequest, user: Any, authenticator: Any, **kwargs: Any
) -> None:
    log.info("mfa_added user=%s type=%s ip=%s", user.pk, authenticator.type, _ip(request))


@receiver(authenticator_removed)
def log_mfa_removed(
    sender: Any, request: HttpRequest, user: Any, authenticator: Any, **kwargs: Any
) -> None:
    log.warning("mfa_removed user=%s type=%s ip=%s", user.pk, authenticator.type, _ip(request))


@receiver(email_confirmed)
def welcome_on_verification(
    sender: Any, request: HttpRequest, email_address: Any, **kwargs: Any
) -> None:
    """Through the outbox like every other email: sent once, retried, never lost."""
    from mentorship import emails

    if email_address.primary:
        emails.welcome(email_address.user)


@receiver(user_logged_in)
def start_session_activity(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    """The idle timeout and "last used" count from sign-in (accounts/middleware.py)."""
    from .middleware import start_activity

    if request is not None and hasattr(request, "session"):
        start_activity(request, user)
