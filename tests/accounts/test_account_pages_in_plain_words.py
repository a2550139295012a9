"""The sign-in, sign-up, email, password and authenticator pages read in the NHS.UK content
style, with one primary button each and a way on from every page (issue 10, item 12)."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from tests.factories import totp_code

pytestmark = pytest.mark.django_db

NOT_PRIMARY = {"nhsuk-button--secondary", "nhsuk-button--warning", "nhsuk-button--reverse"}


def title(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()


def h1(html: str) -> str:
    return re.sub(r"<[^>]+>", "", re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1)).strip()


def primary_buttons(html: str) -> list[str]:
    """The classes of each link or button styled as a primary (green) button."""
    found = re.findall(r'<(?:a|button)\b[^>]*\bclass="([^"]*)"', html)
    return [
        classes
        for classes in found
        if "nhsuk-button" in classes.split() and not NOT_PRIMARY & set(classes.split())
    ]


def _confirmation_key(user) -> str:
    from allauth.account.models import EmailConfirmationHMAC

    address = EmailAddress.objects.create(user=user, email="second@example.org", verified=False)
    return EmailConfirmationHMAC(address).key


@pytest.fixture
def signed_in_with_password(client, password):
    """Signs `client` in through the sign-in form (not force_login), as a person does."""

    def sign_in(user):
        credentials = {"login": user.email, "password": password}
        response = client.post(reverse("account_login"), credentials)
        assert response.status_code == 302
        return client

    return sign_in


# --- Titles and headings -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("url_name", "heading"),
    [
        ("account_login", "Sign in"),
        ("account_signup", "Create an account"),
        ("account_reset_password", "Reset your password"),
        ("account_reset_password_done", "Check your email"),
    ],
)
def test_the_signed_out_pages_are_titled_in_plain_words(client, url_name, heading):
    html = client.get(reverse(url_name)).content.decode()

    assert h1(html) == heading
    assert title(html).startswith(heading)
    assert len(primary_buttons(html)) <= 1


@pytest.mark.parametrize(
    ("url_name", "heading"),
    [
        ("account_email", "Your email addresses"),
        ("account_change_password", "Change your password"),
        ("mfa_index", "Your authenticator app"),
        ("account_logout", "Sign out"),
        ("account_reauthenticate", "Confirm it is you"),
    ],
)
def test_the_account_pages_are_titled_in_plain_words(client, mentee, url_name, heading):
    client.force_login(mentee)

    html = client.get(reverse(url_name)).content.decode()

    assert h1(html) == heading
    assert title(html).startswith(heading)
    assert len(primary_buttons(html)) <= 1


def test_the_confirmation_link_asks_the_person_to_confirm_their_email_address(client, mentee):
    key = _confirmation_key(mentee)

    html = client.get(reverse("account_confirm_email", args=[key])).content.decode()

    assert h1(html) == "Confirm your email address"
    assert "second@example.org" in html
    assert len(primary_buttons(html)) == 1


def test_a_broken_confirmation_link_says_it_has_expired_and_what_to_do(client):
    html = client.get(reverse("account_confirm_email", args=["not-a-key"])).content.decode()

    assert h1(html) == "This link has expired"
    assert title(html).startswith("This link has expired")
    assert reverse("account_login") in html


def test_the_authenticator_setup_page_has_one_primary_button_and_a_key_to_type(
    client, manager, password, signed_in_with_password
):
    signed_in_with_password(manager)

    response = client.get(reverse("mfa_activate_totp"))
    html = response.content.decode()

    assert h1(html) == "Set up your authenticator app"
    assert len(primary_buttons(html)) == 1
    secret = response.context["form"].secret
    assert secret[:4] + " " + secret[4:8] in html  # the key in groups of four
    assert 'href="otpauth://' in html  # for people setting up on the phone itself


def test_the_code_page_at_sign_in_has_one_primary_button_and_help_for_a_lost_phone(
    client, manager, password, with_mfa, settings
):
    settings.SUPPORT_EMAIL = "help@example.org"
    with_mfa(manager)
    client.post(reverse("account_login"), {"login": manager.email, "password": password})

    html = client.get(reverse("mfa_authenticate")).content.decode()

    assert h1(html) == "Enter the code from your authenticator app"
    assert len(primary_buttons(html)) == 1
    assert "recovery code" in html
    assert 'href="mailto:help@example.org"' in html


@pytest.mark.parametrize(
    "url_name", ["mfa_index", "mfa_view_recovery_codes", "mfa_generate_recovery_codes"]
)
def test_the_authenticator_pages_of_someone_who_has_one_have_at_most_one_primary_button(
    client, manager, password, with_mfa, url_name
):
    with_mfa(manager)
    client.force_login(manager)
    client.post(reverse("account_reauthenticate"), {"password": password})

    html = client.get(reverse(url_name)).content.decode()

    assert len(primary_buttons(html)) <= 1


# --- Email addresses ---------------------------------------------------------------------


def test_the_only_email_address_cannot_be_made_main_or_removed(client, mentee):
    client.force_login(mentee)

    html = client.get(reverse("account_email")).content.decode()

    assert mentee.email in html
    assert "Main address" in html
    assert "action_primary" not in html
    assert "action_remove" not in html
    assert "Make Primary" not in html


def test_a_second_confirmed_address_can_be_made_the_main_one(client, mentee):
    EmailAddress.objects.create(user=mentee, email="amara@nhs.example.org", verified=True)
    client.force_login(mentee)
    html = client.get(reverse("account_email")).content.decode()
    assert "Make this your main address" in html

    client.post(reverse("account_email"), {"email": "amara@nhs.example.org", "action_primary": ""})

    assert EmailAddress.objects.get(user=mentee, primary=True).email == "amara@nhs.example.org"


def test_an_unconfirmed_address_offers_its_link_again_not_to_become_the_main_one(client, mentee):
    EmailAddress.objects.create(user=mentee, email="amara@nhs.example.org", verified=False)
    client.force_login(mentee)

    html = client.get(reverse("account_email")).content.decode()

    assert "Not confirmed" in html
    assert "Send the link again" in html
    assert html.count('name="action_primary"') == 0
    assert html.count('name="action_remove"') == 1


# --- A way on ----------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)  # allauth says "set up" on commit, as in production
def test_the_recovery_codes_page_after_setting_up_leads_on_to_the_dashboard(
    client, manager, password, signed_in_with_password
):

    signed_in_with_password(manager)
    secret = client.get(reverse("mfa_activate_totp")).context["form"].secret
    code = totp_code(secret)
    html = client.post(reverse("mfa_activate_totp"), {"code": code}, follow=True).content.decode()

    assert h1(html) == "Your recovery codes"
    assert "Your authenticator app is set up" in html
    assert len(primary_buttons(html)) == 1
    dashboard = reverse("dashboard")
    assert re.search(rf'<a class="nhsuk-button" href="{dashboard}"[^>]*>Continue</a>', html)


# --- Contact details ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "url_name", ["account_reset_password", "account_reset_password_done", "accessibility"]
)
def test_pages_that_say_to_contact_us_give_the_support_address(client, settings, url_name):
    settings.SUPPORT_EMAIL = "help@example.org"

    html = client.get(reverse(url_name)).content.decode()

    assert '<a class="app-break-anywhere" href="mailto:help@example.org">' in html


def test_the_footer_has_a_contact_link(client, settings):
    settings.SUPPORT_EMAIL = "help@example.org"

    html = client.get(reverse("home")).content.decode()

    assert re.search(r'href="mailto:help@example.org">Contact us</a>', html)


def test_without_a_support_address_pages_point_to_the_programme_team(client, settings):
    settings.SUPPORT_EMAIL = ""

    html = client.get(reverse("account_reset_password")).content.decode()

    assert "mailto:" not in html
    assert "ask your programme team" in html


def test_an_account_that_is_closed_says_whom_to_contact(client, mentee, password, settings):
    settings.SUPPORT_EMAIL = "help@example.org"
    mentee.is_active = False
    mentee.save(update_fields=["is_active"])

    response = client.post(
        reverse("account_login"), {"login": mentee.email, "password": password}, follow=True
    )
    html = response.content.decode()

    assert h1(html) == "This account is closed"
    assert "mailto:help@example.org" in html


# --- Messages in plain words -------------------------------------------------------------


def _signup(client, **fields):
    data = {
        "full_name": "Dr Ngozi Okafor",
        "email": "ngozi.okafor@example.org",
        "password1": "kettle-drums-and-fiddles",
        "password2": "kettle-drums-and-fiddles",
        **fields,
    }
    return client.post(reverse("account_signup"), data).content.decode()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"full_name": "N" * 151}, "Enter your full name in 150 characters or fewer"),
        ({"email": "ngozi at example"}, "Enter an email address in the correct format"),
        ({"email": "n" * 243 + "@example.org"}, "Enter 254 characters or fewer"),
        ({"password2": "kettle-drums-and-flutes"}, "The passwords do not match"),
        (
            {"password1": "short-one", "password2": "short-one"},
            "Your password must be at least 12 characters",
        ),
        (
            {"password1": "password1234", "password2": "password1234"},
            "This password is too easy to guess",
        ),
        (
            {"password1": "123456789012345", "password2": "123456789012345"},
            "Your password must include letters or symbols",
        ),
    ],
)
def test_sign_up_explains_each_problem_in_plain_words(client, fields, message):
    html = _signup(client, **fields)

    assert message in html
    assert "Ensure this value" not in html
    assert "Enter a valid email address" not in html
    assert title(html).startswith("Error: ")


def test_an_email_address_too_long_to_store_is_refused_not_cut_short(client):
    from accounts.models import User

    _signup(client, email="n" * 243 + "@example.org")  # 255 characters

    assert not User.objects.exists()


def test_a_wrong_password_at_sign_in_is_explained_plainly(client, mentee):
    response = client.post(
        reverse("account_login"), {"login": mentee.email, "password": "not-my-password"}
    )
    html = response.content.decode()

    assert "The email address or password is not right" in html
    assert "and/or" not in html


def test_a_wrong_code_at_sign_in_is_explained_plainly(client, manager, password, with_mfa):
    code = with_mfa(manager)
    client.post(reverse("account_login"), {"login": manager.email, "password": password})

    wrong = "000000" if code() != "000000" else "111111"
    html = client.post(reverse("mfa_authenticate"), {"code": wrong}).content.decode()

    assert "The code is not right" in html
    assert "Incorrect code" not in html
    assert title(html).startswith("Error: ")


def test_signing_in_shows_no_success_banner_and_signing_out_says_so(client, mentee, password):
    response = client.post(
        reverse("account_login"), {"login": mentee.email, "password": password}, follow=True
    )
    assert "Successfully signed in" not in response.content.decode()

    response = client.post(reverse("account_logout"), follow=True)

    assert "You have signed out." in response.content.decode()


# --- "Error: " in the title ----------------------------------------------------------------


def test_a_form_page_without_errors_has_no_error_in_its_title(client):
    assert not title(client.get(reverse("account_login")).content.decode()).startswith("Error")


def test_a_form_page_with_errors_starts_its_title_with_error(client):
    html = client.post(reverse("account_login"), {}).content.decode()

    assert title(html) == "Error: Sign in – IMG Mentor Match"


def test_the_page_not_found_title_starts_with_error(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert title(response.content.decode()).startswith("Error: Page not found")


def test_the_no_access_title_starts_with_error(client, mentee):
    client.force_login(mentee)

    response = client.get(reverse("manage:home"))

    assert response.status_code == 403
    assert title(response.content.decode()).startswith("Error: ")


def test_the_bad_request_title_starts_with_error(client):
    response = client.get("/", HTTP_HOST="not-this-site.example")

    assert response.status_code == 400
    assert title(response.content.decode()).startswith("Error: ")


def test_the_server_error_page_title_starts_with_error_and_gives_the_support_address(settings):
    from django.template import loader

    settings.SUPPORT_EMAIL = "help@example.org"

    html = loader.get_template("500.html").render()

    assert title(html).startswith("Error: Sorry, there is a problem with the service")
    assert "mailto:help@example.org" in html
