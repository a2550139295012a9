"""Single sign-on providers from the environment, for config/settings.py.

Pure (no Django imports) so that settings can call it while they load, and the tests can
build the same configuration from a made-up environment. Nothing is switched on unless its
variables are set: a deployment without them has no "Sign in with ..." buttons at all.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlsplit

MICROSOFT_LOGIN_URL = "https://login.microsoftonline.com"
# Entra's shared tenants let in any organisation's (or anyone's personal) Microsoft account;
# only a named tenant says whose directory vouches for the address (accounts/sso.py).
MICROSOFT_SHARED_TENANTS = frozenset({"common", "organizations", "consumers"})


def providers(env: Mapping[str, str]) -> dict:
    """allauth's SOCIALACCOUNT_PROVIDERS for the providers whose variables are all set."""
    configured: dict = {}
    tenant = env.get("SSO_MICROSOFT_TENANT", "").strip()
    client_id = env.get("SSO_MICROSOFT_CLIENT_ID", "").strip()
    secret = env.get("SSO_MICROSOFT_SECRET", "").strip()
    if tenant and client_id and secret:
        configured["microsoft"] = {
            "APPS": [
                {
                    "client_id": client_id,
                    "secret": secret,
                    "settings": {
                        "tenant": tenant,
                        "login_url": env.get("SSO_MICROSOFT_LOGIN_URL", "").strip()
                        or MICROSOFT_LOGIN_URL,
                    },
                }
            ],
            "OAUTH_PKCE_ENABLED": True,
        }
    server_url = env.get("SSO_OIDC_SERVER_URL", "").strip()
    client_id = env.get("SSO_OIDC_CLIENT_ID", "").strip()
    secret = env.get("SSO_OIDC_SECRET", "").strip()
    if server_url and client_id and secret:
        configured["openid_connect"] = {
            "APPS": [
                {
                    # In the callback URL (/accounts/oidc/<id>/login/callback/), which the
                    # provider must have registered: changing it breaks sign-in.
                    "provider_id": env.get("SSO_OIDC_ID", "").strip() or "sso",
                    "name": env.get("SSO_OIDC_NAME", "").strip() or "your organisation",
                    "client_id": client_id,
                    "secret": secret,
                    "settings": {"server_url": server_url},
                }
            ],
            "OAUTH_PKCE_ENABLED": True,
        }
    return configured


def form_action_origins(configured: dict, env: Mapping[str, str]) -> list[str]:
    """The origins a sign-in button's POST is redirected to (Chrome checks CSP form-action
    on every redirect after a form is submitted, so our "Sign in with ..." forms need them)."""
    urls = []
    for app in configured.get("microsoft", {}).get("APPS", []):
        urls.append(app["settings"]["login_url"])
    for app in configured.get("openid_connect", {}).get("APPS", []):
        urls.append(app["settings"]["server_url"])
    # A provider whose authorisation endpoint is on another host than its discovery document.
    urls += [u.strip() for u in env.get("SSO_EXTRA_FORM_ACTION_ORIGINS", "").split(",")]
    origins = []
    for url in urls:
        parts = urlsplit(url)
        if parts.scheme and parts.netloc:
            origin = f"{parts.scheme}://{parts.netloc}"
            if origin not in origins:
                origins.append(origin)
    return origins
