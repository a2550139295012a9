import logging

import pytest
from django.urls import reverse

from tests.factories import totp_code

pytestmark = pytest.mark.django_db


@pytest.fixture
def security_log(caplog):
    caplog.set_level(logging.INFO, logger="security")
    return caplog


def _lines(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "security"]


def test_a_successful_login_is_logged_without_the_password(client, mentee, password, security_log):
    client.post(reverse("account_login"), {"login": mentee.email, "password": password})

    lines = _lines(security_log)
    assert f"login user={mentee.pk} ip=127.0.0.1" in lines
    assert not any(password in line for line in lines)


def test_a_failed_login_is_logged_with_an_obscured_address_and_no_password(
    client, mentee, security_log
):
    client.post(reverse("account_login"), {"login": mentee.email, "password": "guess-123456"})

    lines = _lines(security_log)
    local, domain = mentee.email.split("@")
    assert f"login_failed email={local[0]}***@{domain} ip=127.0.0.1" in lines
    assert not any("guess-123456" in line or mentee.email in line for line in lines)


def test_a_password_change_is_logged(client, mentee, password, security_log):
    client.force_login(mentee)
    client.post(
        reverse("account_change_password"),
        {
            "oldpassword": password,
            "password1": "a-brand-new-passphrase",
            "password2": "a-brand-new-passphrase",
        },
    )

    lines = _lines(security_log)
    assert f"password_changed user={mentee.pk} ip=127.0.0.1" in lines
    assert not any("a-brand-new-passphrase" in line for line in lines)


def test_adding_and_removing_an_authenticator_is_logged(
    client, mentee, password, security_log, django_capture_on_commit_callbacks
):
    from allauth.mfa.models import Authenticator

    client.force_login(mentee)
    client.post(reverse("account_reauthenticate"), {"password": password})
    page = client.get(reverse("mfa_activate_totp"))
    secret = page.context["form"].secret

    code = totp_code(secret)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("mfa_activate_totp"), {"code": code})
    assert Authenticator.objects.filter(user=mentee, type="totp").exists()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("mfa_deactivate_totp"))

    lines = _lines(security_log)
    assert f"mfa_added user={mentee.pk} type=totp ip=127.0.0.1" in lines
    assert f"mfa_removed user={mentee.pk} type=totp ip=127.0.0.1" in lines
    assert not any(secret in line or code in line for line in lines)
