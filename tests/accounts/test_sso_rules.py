"""The SSO rules that need no provider: configuration from the environment, which address a
provider vouches for, when a provider's MFA counts, and the pages' buttons and links. The
sign-in flows themselves run against a real provider in tests/browser/test_sso.py."""

from __future__ import annotations

import pytest
from allauth.socialaccount.models import SocialAccount, SocialLogin
from csp.constants import SELF
from django.conf import settings as django_settings
from django.template import Context, Template
from django.test import RequestFactory

from accounts import sso
from config import sso as sso_config
from tests.factories import PASSWORD

MICROSOFT_ENV = {
    "SSO_MICROSOFT_TENANT": "37c354b2-85b0-47f5-b222-07b48d774ee3",
    "SSO_MICROSOFT_CLIENT_ID": "client-id",
    "SSO_MICROSOFT_SECRET": "secret",
}
OIDC_ENV = {
    "SSO_OIDC_NAME": "Northfield Trust",
    "SSO_OIDC_SERVER_URL": "https://id.northfield.example/realms/staff",
    "SSO_OIDC_CLIENT_ID": "client-id",
    "SSO_OIDC_SECRET": "secret",
}


def test_nothing_is_switched_on_without_the_variables():
    assert sso_config.providers({}) == {}
    assert django_settings.SOCIALACCOUNT_PROVIDERS == {}
    assert django_settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"] == [SELF]


@pytest.mark.parametrize("missing", sorted(MICROSOFT_ENV))
def test_microsoft_needs_its_tenant_client_id_and_secret(missing):
    env = {k: v for k, v in MICROSOFT_ENV.items() if k != missing}

    assert sso_config.providers(env) == {}


@pytest.mark.parametrize(
    "missing", ["SSO_OIDC_SERVER_URL", "SSO_OIDC_CLIENT_ID", "SSO_OIDC_SECRET"]
)
def test_the_oidc_provider_needs_its_server_client_id_and_secret(missing):
    env = {k: v for k, v in OIDC_ENV.items() if k != missing}

    assert sso_config.providers(env) == {}


def test_both_providers_from_the_environment_and_their_origins_for_form_action():
    env = {**MICROSOFT_ENV, **OIDC_ENV, "SSO_EXTRA_FORM_ACTION_ORIGINS": "https://login.example/x"}

    providers = sso_config.providers(env)

    (microsoft,) = providers["microsoft"]["APPS"]
    assert microsoft["settings"]["tenant"] == MICROSOFT_ENV["SSO_MICROSOFT_TENANT"]
    (oidc,) = providers["openid_connect"]["APPS"]
    assert (oidc["provider_id"], oidc["name"]) == ("sso", "Northfield Trust")
    assert oidc["settings"]["server_url"] == OIDC_ENV["SSO_OIDC_SERVER_URL"]
    assert sso_config.form_action_origins(providers, env) == [
        "https://login.microsoftonline.com",
        "https://id.northfield.example",
        "https://login.example",
    ]


@pytest.fixture
def microsoft(settings):
    settings.SOCIALACCOUNT_PROVIDERS = sso_config.providers(MICROSOFT_ENV)
    return settings


def social_login(provider: str, extra_data: dict) -> SocialLogin:
    return SocialLogin(account=SocialAccount(provider=provider, uid="1", extra_data=extra_data))


@pytest.mark.django_db
def test_microsoft_vouches_for_the_principal_name_of_a_named_tenant(microsoft):
    login = social_login(
        "microsoft", {"userPrincipalName": "Ada.Obi@NHS.net", "mail": "someone@else.example"}
    )

    assert sso.verified_email(login) == "ada.obi@nhs.net"


@pytest.mark.django_db
@pytest.mark.parametrize("tenant", ["common", "organizations", "consumers"])
def test_microsoft_shared_tenants_vouch_for_no_address(settings, tenant):
    settings.SOCIALACCOUNT_PROVIDERS = sso_config.providers(
        {**MICROSOFT_ENV, "SSO_MICROSOFT_TENANT": tenant}
    )
    login = social_login("microsoft", {"userPrincipalName": "ada.obi@nhs.net"})

    assert sso.verified_email(login) is None


@pytest.mark.django_db
def test_a_microsoft_guest_has_no_address_we_trust(microsoft):
    login = social_login(
        "microsoft", {"userPrincipalName": "ada_gmail.com#EXT#@trust.onmicrosoft.com"}
    )

    assert sso.verified_email(login) is None


@pytest.mark.parametrize(
    ("claims", "expected"),
    [
        ({"email": "Ada@NHS.net", "email_verified": True}, "ada@nhs.net"),
        ({"email": "ada@nhs.net", "email_verified": False}, None),
        ({"email": "ada@nhs.net", "email_verified": "true"}, None),
        ({"email": "ada@nhs.net"}, None),
        ({"email_verified": True}, None),
    ],
)
def test_an_oidc_provider_vouches_only_with_email_verified_true(claims, expected):
    login = social_login("sso", {"id_token": {"sub": "1"}, "userinfo": claims})

    assert sso.verified_email(login) == expected


@pytest.mark.parametrize(
    ("amr", "trusted", "expected"),
    [
        (["pwd", "mfa"], ["mfa"], True),
        ("mfa", ["mfa"], True),
        (["pwd", "otp"], ["mfa"], False),
        (["pwd", "otp"], ["mfa", "otp"], True),
        (["pwd", "mfa"], [], False),
        (None, ["mfa"], False),
    ],
)
def test_a_provider_asserts_mfa_with_an_amr_value_we_trust(settings, amr, trusted, expected):
    settings.SSO_MFA_AMR_VALUES = trusted
    id_token = {"sub": "1"} if amr is None else {"sub": "1", "amr": amr}

    assert sso.provider_asserted_mfa(social_login("sso", {"id_token": id_token})) is expected


@pytest.mark.parametrize(
    ("allowed", "email", "expected"),
    [
        ([], "ada@gmail.com", True),
        (["nhs.net"], "ada@nhs.net", True),
        (["nhs.net"], "ada@nhs.net.evil.example", False),
        (["nhs.net"], "ada@mail.nhs.net", False),
    ],
)
def test_sign_up_domains(settings, allowed, email, expected):
    settings.SSO_ALLOWED_DOMAINS = allowed

    assert sso.domain_allowed(email) is expected


@pytest.mark.django_db
def test_the_sign_in_page_offers_microsoft_only_when_configured(client, settings):
    label = "Sign in with your NHS or trust Microsoft account"
    assert label not in client.get("/accounts/login/").content.decode()

    settings.SOCIALACCOUNT_PROVIDERS = sso_config.providers(MICROSOFT_ENV)
    page = client.get("/accounts/login/?next=/manage/").content.decode()

    assert label in page
    assert 'action="/accounts/microsoft/login/?process=login&amp;next=%2Fmanage%2F"' in page


@pytest.mark.django_db
def test_the_microsoft_button_goes_to_the_configured_tenant(client, microsoft):
    response = client.post("/accounts/microsoft/login/?process=login")

    assert response.status_code == 302
    tenant = MICROSOFT_ENV["SSO_MICROSOFT_TENANT"]
    assert response["Location"].startswith(
        f"https://login.microsoftonline.com/{tenant}/oauth2/v2.0/authorize?"
    )
    assert "code_challenge_method=S256" in response["Location"]


@pytest.mark.django_db
def test_a_provider_sign_in_does_not_start_on_get(client, microsoft):
    response = client.get("/accounts/microsoft/login/?process=login")

    assert response.status_code == 200
    assert "Sign in with Microsoft" in response.content.decode()


@pytest.mark.django_db
def test_the_settings_link_to_connections_shows_only_when_a_provider_is_configured(
    rf: RequestFactory, settings, mentee
):
    template = Template('{% include "socialaccount/_settings_link.html" %}')
    request = rf.get("/accounts/settings/")
    request.user = mentee
    context = Context({"request": request, "user": mentee})
    assert template.render(context).strip() == ""

    settings.SOCIALACCOUNT_PROVIDERS = sso_config.providers(OIDC_ENV)
    html = template.render(context)

    assert 'href="/accounts/3rdparty/"' in html
    assert "Sign-in connections" in html


@pytest.mark.django_db
def test_the_connections_page_lists_links_and_offers_the_providers(client, settings, mentee):
    settings.SOCIALACCOUNT_PROVIDERS = sso_config.providers(OIDC_ENV)
    SocialAccount.objects.create(user=mentee, provider="sso", uid="abc")
    client.force_login(mentee)

    page = client.get("/accounts/3rdparty/").content.decode()

    assert "Sign-in connections" in page
    assert "Remove link" in page
    assert "Link Northfield Trust" in page


@pytest.mark.django_db
def test_the_last_link_of_an_account_without_a_password_cannot_be_removed(client, settings, mentee):
    settings.SOCIALACCOUNT_PROVIDERS = sso_config.providers(OIDC_ENV)
    account = SocialAccount.objects.create(user=mentee, provider="sso", uid="abc")
    mentee.set_unusable_password()
    mentee.save(update_fields=["password"])
    client.force_login(mentee)

    response = client.post("/accounts/3rdparty/", {"account": account.pk})

    assert response.status_code == 200
    assert "Set a password before you remove this link" in response.content.decode()
    assert SocialAccount.objects.filter(pk=account.pk).exists()


@pytest.mark.django_db
def test_providers_come_from_the_environment_only_not_the_admin(client):
    from allauth.socialaccount.models import SocialApp

    SocialApp.objects.create(provider="microsoft", name="Added in the admin", client_id="x")

    assert "Sign in with" not in client.get("/accounts/login/").content.decode()
    assert client.post("/accounts/microsoft/login/?process=login").status_code == 404


@pytest.mark.django_db
def test_an_unknown_oidc_provider_is_not_found(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = sso_config.providers(OIDC_ENV)

    assert client.post("/accounts/oidc/elsewhere/login/").status_code == 404
    assert client.get("/accounts/oidc/elsewhere/login/callback/?code=x").status_code == 404


@pytest.mark.django_db
def test_a_link_to_a_provider_no_longer_configured_does_not_break_the_connections_page(
    client, settings, mentee
):
    settings.SOCIALACCOUNT_PROVIDERS = sso_config.providers(OIDC_ENV)
    SocialAccount.objects.create(user=mentee, provider="switched-off", uid="abc")
    client.force_login(mentee)

    response = client.get("/accounts/3rdparty/")

    assert response.status_code == 200
    assert "No other accounts are linked" in response.content.decode()


@pytest.mark.django_db
def test_removing_a_link_without_choosing_one_says_what_to_do(client, settings, mentee):
    settings.SOCIALACCOUNT_PROVIDERS = sso_config.providers(OIDC_ENV)
    account = SocialAccount.objects.create(user=mentee, provider="sso", uid="abc")
    client.force_login(mentee)

    response = client.post("/accounts/3rdparty/", {})

    assert "Choose the link to remove" in response.content.decode()
    assert SocialAccount.objects.filter(pk=account.pk).exists()


@pytest.mark.django_db
def test_removing_a_link_asks_to_confirm_it_is_you_then_removes_it(client, settings, mentee):
    settings.SOCIALACCOUNT_PROVIDERS = sso_config.providers(OIDC_ENV)
    account = SocialAccount.objects.create(user=mentee, provider="sso", uid="abc")
    client.force_login(mentee)  # no password typed in this session

    response = client.post("/accounts/3rdparty/", {"account": account.pk})

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/reauthenticate/")
    assert SocialAccount.objects.filter(pk=account.pk).exists()

    client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    response = client.post("/accounts/3rdparty/", {"account": account.pk})

    assert response.status_code == 302
    assert response["Location"] == "/accounts/3rdparty/"
    assert not SocialAccount.objects.filter(pk=account.pk).exists()
