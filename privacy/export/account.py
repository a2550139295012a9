"""The account itself: name, email addresses, roles, whether MFA is set up (never its
secrets) and what the service records about signing in."""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.apps import apps

from accounts.permissions import has_mfa, roles_of

from ..sessions import live_sessions_of
from .values import iso

SECURITY_LOG_NOTE = (
    "Each sign-in, sign-out, failed sign-in, password change and authenticator change is "
    "also written to the service's security log with your account number and the IP address "
    "used. That log is kept by the hosting provider, not in the database, so it is not in "
    "this file: ask the privacy contact if you want a copy."
)


def account(user: Any) -> dict[str, Any]:
    return {
        "title": user.title,
        "full_name": user.full_name,
        "email": user.email,
        "account_created_at": iso(user.date_joined),
        "is_active": user.is_active,
        "is_staff": user.is_staff,
    }


def email_addresses(user: Any) -> list[dict[str, Any]]:
    return [
        {"email": address.email, "verified": address.verified, "primary": address.primary}
        for address in EmailAddress.objects.filter(user=user).order_by("-primary", "email")
    ]


def roles(user: Any) -> dict[str, Any]:
    return {
        "roles": sorted(str(role) for role in roles_of(user)),
        "programmes_you_manage": sorted(p.name for p in user.managed_programmes.all()),
    }


def mfa(user: Any) -> dict[str, Any]:
    """Which kinds of second factor are set up and when they were used: never the key, the
    recovery codes or anything that would let someone else sign in."""
    return {
        "set_up": has_mfa(user),
        "methods": [
            {
                "type": authenticator.get_type_display(),
                "added_at": iso(authenticator.created_at),
                "last_used_at": iso(authenticator.last_used_at),
            }
            for authenticator in Authenticator.objects.filter(user=user).order_by("created_at")
        ],
    }


def linked_accounts(user: Any) -> list[dict[str, Any]]:
    if not apps.is_installed("allauth.socialaccount"):
        return []
    from allauth.socialaccount.models import SocialAccount

    return [
        {
            "provider": account.provider,
            "account_id": account.uid,
            "linked_at": iso(account.date_joined),
            "last_sign_in_at": iso(account.last_login),
            # The claims the provider sent at the last sign-in (name, email, tenant...).
            "what_the_provider_sent": account.extra_data,
        }
        for account in SocialAccount.objects.filter(user=user).order_by("date_joined")
    ]


def sign_in_history(user: Any) -> dict[str, Any]:
    """Django keeps the last sign-in and the open sessions; allauth's user sessions (when the
    app is installed) add where each session came from."""
    history: dict[str, Any] = {
        "last_sign_in_at": iso(user.last_login),
        "open_sessions": _open_sessions(user),
        "security_log": SECURITY_LOG_NOTE,
    }
    if apps.is_installed("allauth.usersessions"):
        from allauth.usersessions.models import UserSession

        history["sessions"] = [
            {
                "ip_address": session.ip,
                "browser": session.user_agent,
                "started_at": iso(session.created_at),
                "last_seen_at": iso(session.last_seen_at),
            }
            for session in UserSession.objects.filter(user=user).order_by("created_at")
        ]
    return history


def _open_sessions(user: Any) -> list[dict[str, Any]]:
    # This runs in the background build, so the scan costs the person nothing.
    found = [{"expires_at": iso(session.expire_date)} for session in live_sessions_of(user)]
    return sorted(found, key=lambda row: row["expires_at"])
