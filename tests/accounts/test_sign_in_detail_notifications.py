"""People are emailed, through the outbox, when their password, email address or
authenticator changes (issue 9, item 17)."""

import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.core import mail
from django.urls import reverse

from mentorship.models import OutboxEmail
from tests.factories import totp_code

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-brand-new-passphrase"


@pytest.fixture
def signed_in(client, mentee, password):
    """The mentee, signed in, having just given their password again (allauth asks for it
    before changing an authenticator)."""
    client.force_login(mentee)
    client.post(reverse("account_reauthenticate"), {"password": password})
    return mentee


def _notification(kind: str, to_email: str) -> OutboxEmail:
    row = OutboxEmail.objects.get(kind=kind, to_email=to_email)
    # Every notification says where the change came from and what to do if it was not them.
    assert "From IP address: 127.0.0.1" in row.body_text
    assert "If this was not you" in row.body_text
    assert "/accounts/password/reset/" in row.body_text
    assert "text/html" not in row.body_text and "<p>" in row.body_html
    return row


def _activate_totp(client) -> str:
    secret = client.get(reverse("mfa_activate_totp")).context["form"].secret
    code = totp_code(secret)
    response = client.post(reverse("mfa_activate_totp"), {"code": code})
    assert response.status_code == 302
    return secret


def test_changing_the_password_emails_the_person(
    client, signed_in, password, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_change_password"),
            {"oldpassword": password, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        )

    assert response.status_code == 302
    row = _notification("account.password_changed", signed_in.email)
    assert row.recipient == signed_in
    assert row.subject == "[IMG Mentor Match] Your password has been changed"
    assert row.status == "sent"
    assert mail.outbox[-1].to == [signed_in.email]


def test_resetting_the_password_emails_the_person(
    client, mentee, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": mentee.email})
    body = OutboxEmail.objects.get(kind="account.password_reset_key").body_text
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+/)", body).group(1)
    set_password_page = client.get(link)["Location"]

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            set_password_page, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
        )

    assert response.status_code == 302
    mentee.refresh_from_db()
    assert mentee.check_password(NEW_PASSWORD)
    row = _notification("account.password_reset", mentee.email)
    assert row.subject == "[IMG Mentor Match] Your password has been reset"


def test_changing_the_email_address_tells_the_old_address(
    client, signed_in, django_capture_on_commit_callbacks
):
    old = signed_in.email
    client.post(reverse("account_email"), {"action_add": "", "email": "new.home@example.org"})
    EmailAddress.objects.filter(email="new.home@example.org").update(verified=True)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_email"), {"action_primary": "", "email": "new.home@example.org"}
        )

    assert response.status_code == 302
    assert EmailAddress.objects.get(user=signed_in, primary=True).email == "new.home@example.org"
    row = _notification("account.email_changed", old)
    assert "now uses new.home@example.org instead of " + old in row.body_text
    assert row.status == "sent"


def test_removing_an_email_address_emails_the_person(
    client, signed_in, django_capture_on_commit_callbacks
):
    EmailAddress.objects.create(user=signed_in, email="old.work@example.org", verified=True)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("account_email"), {"action_remove": "", "email": "old.work@example.org"}
        )

    assert not EmailAddress.objects.filter(email="old.work@example.org").exists()
    row = _notification("account.email_deleted", signed_in.email)
    assert "old.work@example.org was removed" in row.body_text


def test_adding_an_authenticator_app_emails_the_person(
    client, signed_in, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _activate_totp(client)

    assert Authenticator.objects.filter(user=signed_in, type="totp").exists()
    row = _notification("mfa.totp_activated", signed_in.email)
    assert row.subject == "[IMG Mentor Match] An authenticator app was added to your account"


def test_removing_the_authenticator_app_emails_the_person(
    client, signed_in, django_capture_on_commit_callbacks
):
    _activate_totp(client)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("mfa_deactivate_totp"))

    assert not Authenticator.objects.filter(user=signed_in, type="totp").exists()
    _notification("mfa.totp_deactivated", signed_in.email)


def test_making_new_recovery_codes_emails_the_person(
    client, signed_in, django_capture_on_commit_callbacks
):
    _activate_totp(client)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("mfa_generate_recovery_codes"))

    assert Authenticator.objects.filter(user=signed_in, type="recovery_codes").count() == 1
    _notification("mfa.recovery_codes_generated", signed_in.email)
