"""Single sign-on rules (allauth's social accounts; providers in config/sso.py).

- A provider's account signs in only to the account it was linked to. An address matching an
  existing account is not proof of owning it: the person signs in with their password and
  links the provider from "Sign-in connections" (after confirming it is them), never here.
- A new account needs an address the provider says it verified, at an allowed domain
  (SSO_ALLOWED_DOMAINS), and its owner still fills in the sign-up form (their name).
- Managers and staff with an authenticator are asked for its code after SSO as after a
  password, unless the provider's `amr` claim says it checked a second factor itself
  (SSO_MFA_AMR_VALUES).
Each refusal is a page saying what happened and what to do; nothing is saved before it.
"""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.mfa.stages import AuthenticateStage as AllauthAuthenticateStage
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialApp, SocialLogin
from allauth.socialaccount.providers.base import AuthProcess
from django.conf import settings
from django.http import Http404, HttpRequest
from django.shortcuts import render

from config.sso import MICROSOFT_SHARED_TENANTS

from .models import User

SOCIAL_APP_FIELDS = {"provider_id", "name", "client_id", "secret", "key", "settings"}


class Refusal:
    """Why a sign-in through a provider was refused (the page's wording is in the template)."""

    UNVERIFIED_EMAIL = "unverified_email"
    EMAIL_IN_USE = "email_in_use"
    DOMAIN_NOT_ALLOWED = "domain_not_allowed"


def claims(sociallogin: SocialLogin) -> dict[str, Any]:
    """What the provider said about the person: an OpenID Connect provider's ID token, with
    its userinfo answer on top (the fresher copy of the profile claims); Microsoft's Graph
    profile as it came."""
    data = sociallogin.account.extra_data or {}
    if "id_token" in data or "userinfo" in data:
        return {**(data.get("id_token") or {}), **(data.get("userinfo") or {})}
    return dict(data)


def verified_email(sociallogin: SocialLogin) -> str | None:
    """The address the provider vouches for, lower-cased, or None."""
    provider = sociallogin.account.provider
    data = claims(sociallogin)
    if provider == "microsoft":
        # Graph has no email_verified. The user principal name's domain must be one the
        # tenant has proved it owns, so it is trustworthy when the tenant is a named one;
        # `mail` can be typed in by an administrator of any tenant (the "nOAuth" flaw), and a
        # guest's principal name (#EXT#) is not an address at all.
        provider_app = (sociallogin.provider or sociallogin.account.get_provider()).app
        tenant = str(provider_app.settings.get("tenant", "common"))
        upn = str(data.get("userPrincipalName") or "").strip().lower()
        if tenant.lower() in MICROSOFT_SHARED_TENANTS or "@" not in upn or "#ext#" in upn:
            return None
        return upn
    email = str(data.get("email") or "").strip().lower()
    # Only a real JSON true counts: a missing claim, false or the string "false" do not.
    if not email or data.get("email_verified") is not True:
        return None
    return email


def domain_allowed(email: str) -> bool:
    allowed = settings.SSO_ALLOWED_DOMAINS
    return not allowed or email.rsplit("@", 1)[-1] in allowed


def email_in_use(email: str) -> bool:
    return (
        User.objects.filter(email__iexact=email).exists()
        or EmailAddress.objects.filter(email__iexact=email).exists()
    )


def provider_asserted_mfa(sociallogin: SocialLogin) -> bool:
    """The provider's `amr` (authentication methods) claim names a second factor."""
    amr = claims(sociallogin).get("amr")
    if isinstance(amr, str):
        amr = [amr]
    if not isinstance(amr, list):
        return False
    trusted = {value.lower() for value in settings.SSO_MFA_AMR_VALUES}
    return any(isinstance(value, str) and value.lower() in trusted for value in amr)


def refuse(request: HttpRequest, sociallogin: SocialLogin, reason: str, **context: Any):
    """Stop the sign-in with a page that explains (allauth returns it as it is)."""
    response = render(
        request,
        "socialaccount/refused.html",
        {"reason": reason, "provider": sociallogin.provider, **context},
        status=403,
    )
    raise ImmediateHttpResponse(response)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    # allauth's messages, in the NHS.UK voice (the connections page and the sign-up form).
    error_messages = {
        **DefaultSocialAccountAdapter.error_messages,
        "email_taken": (
            "An account already uses this email address. Sign in with your password, then "
            "link your %s account from your account settings."
        ),
        "invalid_token": "Signing in with this account did not work. Try again.",
        "no_password": (
            "Set a password before you remove this link, or you will not be able to sign in."
        ),
        "no_verified_email": "Confirm your email address before you remove this link.",
        "disconnect_last": "You cannot remove your only way to sign in.",
        "connected_other": "That account is already linked to a different account.",
    }

    def list_apps(
        self, request: HttpRequest | None, provider: str | None = None, client_id=None
    ) -> list[SocialApp]:
        """The providers configured by the environment (config/sso.py), and only those.

        allauth would also read apps added in the admin, querying the database on every
        sign-in page; here there is one source of truth, visible in the deployment's
        variables."""
        apps = []
        for name, config in settings.SOCIALACCOUNT_PROVIDERS.items():
            for app_config in config.get("APPS", []):
                fields = {k: v for k, v in app_config.items() if k in SOCIAL_APP_FIELDS}
                app = SocialApp(provider=name, **fields)
                if client_id and app.client_id != client_id:
                    continue
                if provider and provider not in (app.provider_id, app.provider):
                    continue
                apps.append(app)
        return apps

    def get_app(self, request: HttpRequest | None, provider: str, client_id=None) -> SocialApp:
        """A provider that is not configured has no pages (404, where allauth's own views for
        Microsoft would fail with a 500)."""
        try:
            return super().get_app(request, provider, client_id=client_id)
        except SocialApp.DoesNotExist:
            raise Http404("No such sign-in provider") from None

    def pre_social_login(self, request: HttpRequest, sociallogin: SocialLogin) -> None:
        """Checked after the provider answered and before anything is saved."""
        if sociallogin.is_existing:
            return  # signs in to the account this provider account was linked to
        if sociallogin.state.get("process") == AuthProcess.CONNECT:
            # Linking to the signed-in account: they proved it is theirs (allauth asks them
            # to confirm it is them first), so the provider's address does not matter.
            return
        email = verified_email(sociallogin)
        if email is None:
            refuse(request, sociallogin, Refusal.UNVERIFIED_EMAIL)
        if email_in_use(email):
            refuse(request, sociallogin, Refusal.EMAIL_IN_USE, email=email)
        if not domain_allowed(email):
            refuse(
                request,
                sociallogin,
                Refusal.DOMAIN_NOT_ALLOWED,
                email=email,
                allowed_domains=settings.SSO_ALLOWED_DOMAINS,
            )
        # The account gets this one address, already verified (no confirmation email).
        sociallogin.email_addresses = [EmailAddress(email=email, verified=True, primary=True)]
        sociallogin.user.email = email

    def get_signup_form_initial_data(self, sociallogin: SocialLogin) -> dict:
        initial = super().get_signup_form_initial_data(sociallogin)
        data = claims(sociallogin)
        name = data.get("name") or data.get("displayName") or ""
        initial["full_name"] = " ".join(str(name).split())[:150]
        return initial


class AuthenticateStage(AllauthAuthenticateStage):
    """allauth's "enter your authenticator code" step after signing in, skipped only when
    the provider signed this person in and says it checked a second factor."""

    def _should_handle(self, request: HttpRequest) -> bool:
        sociallogin = (self.login.signal_kwargs or {}).get("sociallogin")
        if isinstance(sociallogin, SocialLogin) and provider_asserted_mfa(sociallogin):
            return False
        return super()._should_handle(request)


def replace_mfa_stage(stages: list[str]) -> list[str]:
    """allauth's login stages with ours in place of its MFA step (accounts/adapters.py)."""
    ours = f"{AuthenticateStage.__module__}.{AuthenticateStage.__qualname__}"
    return [ours if path == "allauth.mfa.stages.AuthenticateStage" else path for path in stages]
