"""Single sign-on against a real OpenID Connect provider (django-oauth-toolkit, started on a
loopback port by the `oidc_provider` fixture), in Chromium: our app discovers it through its
/.well-known/openid-configuration, the browser follows the real redirects both ways, and the
provider signs its ID tokens with an RS256 key made for the run."""

from __future__ import annotations

import copy
from collections.abc import Iterator

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from csp.constants import SELF

from accounts.models import User
from config import sso as sso_config
from tests.conftest import REQUIRE_SERVICES
from tests.factories import PASSWORD, UserFactory, enable_totp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PROVIDER_ID = "trust"
PROVIDER_NAME = "Northfield Trust"
CLIENT_ID = "img-mentor-match"
CLIENT_SECRET = "client-secret-for-tests"
PROVIDER_PASSWORD = "provider-password-2026"


@pytest.fixture(scope="session")
def oidc_provider(tmp_path_factory) -> Iterator:
    """The provider, running for the whole session; skips (or fails, with REQUIRE_SERVICES=1)
    when it cannot start."""
    try:
        import oauth2_provider  # noqa: F401
    except ImportError:
        _skip_or_fail("needs django-oauth-toolkit (pip install -r requirements.lock)")
    from tests.oidc_provider.harness import OIDCProvider, ProviderUnavailable

    try:
        provider = OIDCProvider(tmp_path_factory.mktemp("oidc-provider")).start()
    except ProviderUnavailable as error:
        _skip_or_fail(str(error))
    yield provider
    provider.stop()


def _skip_or_fail(reason: str) -> None:
    if REQUIRE_SERVICES:
        pytest.fail(f"{reason} (REQUIRE_SERVICES=1 makes this a failure)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def registered_client(oidc_provider, live_server):
    """Our app, registered with the provider for the live server's callback URL."""
    callback = f"{live_server.url}/accounts/oidc/{PROVIDER_ID}/login/callback/"
    oidc_provider.register_client(CLIENT_ID, CLIENT_SECRET, callback)
    return oidc_provider


@pytest.fixture
def provider(settings, registered_client):
    """Our app configured for the provider as a deployment would be, from its environment
    variables (config/sso.py), with sign-up limited to nhs.net addresses."""
    env = {
        "SSO_OIDC_ID": PROVIDER_ID,
        "SSO_OIDC_NAME": PROVIDER_NAME,
        "SSO_OIDC_SERVER_URL": registered_client.issuer,
        "SSO_OIDC_CLIENT_ID": CLIENT_ID,
        "SSO_OIDC_SECRET": CLIENT_SECRET,
    }
    providers = sso_config.providers(env)
    settings.SOCIALACCOUNT_PROVIDERS = providers
    policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
    policy["DIRECTIVES"]["form-action"] = [SELF, *sso_config.form_action_origins(providers, env)]
    settings.CONTENT_SECURITY_POLICY = policy
    settings.SSO_ALLOWED_DOMAINS = ["nhs.net"]
    return registered_client


def sign_in_at_provider(page, provider, username: str) -> None:
    """On the provider's own sign-in page (the browser was sent there by our button)."""
    page.wait_for_url(f"{provider.url}/login/**")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PROVIDER_PASSWORD)
    page.get_by_role("button", name="Sign in to the provider").click()


def start_sign_in(page, live_server) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("button", name=f"Sign in with {PROVIDER_NAME}").click()


def signed_in_as(page, live_server) -> str:
    """The heading of the dashboard, or "" when the browser is not signed in."""
    page.goto(f"{live_server.url}/dashboard/")
    if not page.url.startswith(f"{live_server.url}/dashboard/"):
        return ""
    return page.get_by_role("heading", level=1).inner_text()


def test_first_sign_in_creates_an_account_after_the_sign_up_form(
    page, live_server, provider, artifacts_dir
):
    sub = provider.add_user(
        "amara", email="Amara.Okafor@nhs.net", password=PROVIDER_PASSWORD, name="Dr Amara Okafor"
    )

    # On a phone: the button fits, and the page does not scroll sideways.
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{live_server.url}/accounts/login/")
    button = page.get_by_role("button", name=f"Sign in with {PROVIDER_NAME}")
    assert button.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.screenshot(path=str(artifacts_dir / "sso-sign-in-375.png"), full_page=True)
    button.click()
    sign_in_at_provider(page, provider, "amara")

    page.wait_for_url(f"{live_server.url}/accounts/3rdparty/signup/")
    assert page.get_by_role("heading", level=1).inner_text() == "Create your account"
    assert page.get_by_label("Full name").input_value() == "Dr Amara Okafor"
    email = page.get_by_label("Email address")
    assert email.input_value() == "amara.okafor@nhs.net"
    assert email.is_disabled()
    assert not User.objects.filter(email="amara.okafor@nhs.net").exists()  # not before the form
    page.screenshot(path=str(artifacts_dir / "sso-sign-up.png"), full_page=True)
    page.get_by_label("Full name").fill("Dr Amara N. Okafor")
    page.get_by_role("button", name="Create account").click()

    page.wait_for_url(f"{live_server.url}/dashboard/")
    assert page.get_by_role("heading", level=1).inner_text() == "Hello, Amara"
    user = User.objects.get(email="amara.okafor@nhs.net")
    assert user.full_name == "Dr Amara N. Okafor"
    assert not user.has_usable_password()
    assert list(SocialAccount.objects.filter(user=user).values_list("provider", "uid")) == [
        (PROVIDER_ID, sub)
    ]
    # The provider vouched for the address: verified, no confirmation email needed.
    assert EmailAddress.objects.get(user=user).verified
    assert page.js_errors == []


def test_a_linked_account_signs_in_through_the_provider(page, live_server, provider):
    sub = provider.add_user("bola", email="bola.adeyemi@nhs.net", password=PROVIDER_PASSWORD)
    user = UserFactory(email="bola.adeyemi@nhs.net", full_name="Dr Bola Adeyemi")
    SocialAccount.objects.create(user=user, provider=PROVIDER_ID, uid=sub)

    start_sign_in(page, live_server)
    sign_in_at_provider(page, provider, "bola")

    page.wait_for_url(f"{live_server.url}/dashboard/")
    assert page.get_by_role("heading", level=1).inner_text() == "Hello, Bola"
    assert User.objects.count() == 1
    assert SocialAccount.objects.get().user == user


def test_an_existing_account_is_linked_from_a_signed_in_session(page, live_server, provider):
    user = UserFactory(email="chidi.eze@example.org", full_name="Dr Chidi Eze")
    # The provider knows them by their work address; the link does not depend on it.
    sub = provider.add_user("chidi", email="chidi.eze@nhs.net", password=PROVIDER_PASSWORD)

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url(f"{live_server.url}/dashboard/")
    page.goto(f"{live_server.url}/accounts/3rdparty/")
    assert page.get_by_role("heading", level=1).inner_text() == "Sign-in connections"
    page.get_by_role("button", name=f"Link {PROVIDER_NAME}").click()
    sign_in_at_provider(page, provider, "chidi")

    page.wait_for_url(f"{live_server.url}/accounts/3rdparty/")
    assert f"You can now sign in with {PROVIDER_NAME}" in page.locator("body").inner_text()
    assert list(SocialAccount.objects.values_list("user", "uid")) == [(user.pk, sub)]
    assert list(EmailAddress.objects.filter(user=user).values_list("email", flat=True)) == [
        user.email
    ]

    # Signed out, the provider alone now signs them in to that account.
    page.context.clear_cookies()
    start_sign_in(page, live_server)
    sign_in_at_provider(page, provider, "chidi")
    page.wait_for_url(f"{live_server.url}/dashboard/")
    assert page.get_by_role("heading", level=1).inner_text() == "Hello, Chidi"
    assert User.objects.count() == 1


def test_linking_a_while_after_signing_in_asks_to_confirm_it_is_you_first(
    page, live_server, provider, settings
):
    user = UserFactory(email="idris.bello@example.org", full_name="Dr Idris Bello")
    sub = provider.add_user("idris", email="idris.bello@nhs.net", password=PROVIDER_PASSWORD)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url(f"{live_server.url}/dashboard/")
    _age_the_sign_in(page, settings, seconds=settings.ACCOUNT_REAUTHENTICATION_TIMEOUT + 60)

    page.goto(f"{live_server.url}/accounts/3rdparty/")
    page.get_by_role("button", name=f"Link {PROVIDER_NAME}").click()
    sign_in_at_provider(page, provider, "idris")

    page.wait_for_url(f"{live_server.url}/accounts/reauthenticate/**")
    assert page.get_by_role("heading", level=1).inner_text() == "Confirm it is you"
    assert not SocialAccount.objects.exists()  # not linked before they confirm
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()

    page.wait_for_url(f"{live_server.url}/accounts/3rdparty/")
    assert list(SocialAccount.objects.values_list("user", "uid")) == [(user.pk, sub)]


def _age_the_sign_in(page, settings, *, seconds: int) -> None:
    """Move this browser's sign-in back in time (allauth's record of when they typed their
    password), as if they had signed in `seconds` ago."""
    from importlib import import_module

    store = import_module(settings.SESSION_ENGINE).SessionStore
    cookies = page.context.cookies()
    key = next(c["value"] for c in cookies if c["name"] == settings.SESSION_COOKIE_NAME)
    session = store(session_key=key)
    records = session["account_authentication_methods"]
    for record in records:
        record["at"] -= seconds
    session["account_authentication_methods"] = records
    session.save()


def test_a_matching_email_alone_does_not_sign_in_to_the_existing_account(
    page, live_server, provider, artifacts_dir
):
    user = UserFactory(email="dara.khan@nhs.net", full_name="Dr Dara Khan")
    # Someone with a provider account at the same (verified) address.
    provider.add_user("dara", email="dara.khan@nhs.net", password=PROVIDER_PASSWORD)

    start_sign_in(page, live_server)
    sign_in_at_provider(page, provider, "dara")

    heading = page.get_by_role("heading", level=1)
    heading.wait_for()
    assert heading.inner_text() == "You already have an account"
    assert "Sign-in connections" in page.locator("main").inner_text()
    page.screenshot(path=str(artifacts_dir / "sso-email-in-use.png"), full_page=True)
    assert signed_in_as(page, live_server) == ""
    assert not SocialAccount.objects.exists()
    assert list(User.objects.all()) == [user]


def test_sign_up_from_a_domain_not_allowed_is_refused(page, live_server, provider):
    provider.add_user("eve", email="eve@gmail.com", password=PROVIDER_PASSWORD)

    start_sign_in(page, live_server)
    sign_in_at_provider(page, provider, "eve")

    heading = page.get_by_role("heading", level=1)
    heading.wait_for()
    assert heading.inner_text() == "You cannot create an account with this address"
    assert "@nhs.net" in page.locator("main").inner_text()
    assert signed_in_as(page, live_server) == ""
    assert not User.objects.exists()
    assert not SocialAccount.objects.exists()


@pytest.mark.parametrize("email_verified", ["false", "absent"])
def test_an_unverified_email_is_refused(page, live_server, provider, email_verified):
    provider.add_user(
        "fola", email="fola@nhs.net", password=PROVIDER_PASSWORD, email_verified=email_verified
    )

    start_sign_in(page, live_server)
    sign_in_at_provider(page, provider, "fola")

    heading = page.get_by_role("heading", level=1)
    heading.wait_for()
    assert heading.inner_text() == "We could not confirm your email address"
    assert signed_in_as(page, live_server) == ""
    assert not User.objects.exists()
    assert not SocialAccount.objects.exists()
    assert not EmailAddress.objects.exists()


def _linked_manager(provider, programme, *, amr: str):
    sub = provider.add_user("gita", email="gita@nhs.net", password=PROVIDER_PASSWORD, amr=amr)
    manager = UserFactory(email="gita@nhs.net", full_name="Gita Rao")
    programme.managers.add(manager)
    code = enable_totp(manager)
    SocialAccount.objects.create(user=manager, provider=PROVIDER_ID, uid=sub)
    return code


def test_a_manager_without_provider_asserted_mfa_is_asked_for_their_code(
    page, live_server, provider, programme
):
    code = _linked_manager(provider, programme, amr="pwd")

    start_sign_in(page, live_server)
    sign_in_at_provider(page, provider, "gita")

    page.wait_for_url(f"{live_server.url}/accounts/2fa/authenticate/")
    # Not signed in until the code is given: every page leads back to the code.
    assert signed_in_as(page, live_server) == ""
    assert page.url == f"{live_server.url}/accounts/2fa/authenticate/"
    page.get_by_label("Code").fill(code())
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{live_server.url}/dashboard/")
    assert page.get_by_role("heading", level=1).inner_text() == "Hello, Gita"


def test_a_manager_whose_provider_asserts_mfa_is_not_asked_again(
    page, live_server, provider, programme
):
    _linked_manager(provider, programme, amr="pwd,mfa")

    start_sign_in(page, live_server)
    sign_in_at_provider(page, provider, "gita")

    page.wait_for_url(f"{live_server.url}/dashboard/")
    assert page.get_by_role("heading", level=1).inner_text() == "Hello, Gita"


def test_a_manager_without_an_authenticator_sets_one_up_after_signing_in_through_the_provider(
    page, live_server, provider, programme
):
    """Signed up through the provider, they have no password to type at "confirm it's you";
    allauth does not ask someone with no password or authenticator to confirm, so they can
    set up the app they must have."""
    sub = provider.add_user("hana", email="hana@nhs.net", password=PROVIDER_PASSWORD, amr="pwd")
    manager = UserFactory(email="hana@nhs.net", full_name="Hana Ali")
    manager.set_unusable_password()
    manager.save(update_fields=["password"])
    programme.managers.add(manager)
    SocialAccount.objects.create(user=manager, provider=PROVIDER_ID, uid=sub)

    start_sign_in(page, live_server)
    sign_in_at_provider(page, provider, "hana")
    page.wait_for_url(f"{live_server.url}/dashboard/")
    page.goto(f"{live_server.url}/manage/")

    page.wait_for_url(f"{live_server.url}/accounts/2fa/totp/activate/")
    assert page.get_by_role("heading", level=1).inner_text() == "Set up your authenticator app"


def test_the_sign_in_page_has_no_provider_buttons_when_none_is_configured(page, live_server):
    page.goto(f"{live_server.url}/accounts/login/")

    assert page.get_by_role("heading", level=1).inner_text() == "Sign in"
    assert page.get_by_role("button", name="Sign in with").count() == 0
    assert page.get_by_role("button", name="Sign in", exact=True).is_visible()
