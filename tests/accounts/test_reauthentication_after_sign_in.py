"""A manager who has just signed in sets up their authenticator without typing their password
again (issue 10, item 13); after the reauthentication window they are asked again."""

from __future__ import annotations

import time

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import totp_code

pytestmark = pytest.mark.django_db

SETUP = reverse("mfa_activate_totp")
REAUTHENTICATE = reverse("account_reauthenticate")


def _sign_in(client, user, password: str) -> None:
    response = client.post(reverse("account_login"), {"login": user.email, "password": password})
    assert response.status_code == 302


def test_a_manager_who_has_just_signed_in_is_sent_to_the_setup_page_not_asked_for_their_password(
    client, manager, password
):
    _sign_in(client, manager, password)

    sent_to = client.get(reverse("manage:home"))
    assert sent_to["Location"] == SETUP
    response = client.get(SETUP)

    assert response.status_code == 200
    assert "Set up your authenticator app" in response.content.decode()


def test_the_manager_finishes_setting_up_without_typing_their_password_again(
    client, manager, password
):
    from allauth.mfa.models import Authenticator

    _sign_in(client, manager, password)
    secret = client.get(SETUP).context["form"].secret

    code = totp_code(secret)
    response = client.post(SETUP, {"code": code})

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_view_recovery_codes")
    assert Authenticator.objects.filter(user=manager, type="totp").exists()
    assert client.get(reverse("manage:home")).status_code == 200


def test_a_sign_in_longer_ago_than_the_window_asks_for_the_password_again(
    client, manager, password, monkeypatch
):
    _sign_in(client, manager, password)
    later = time.time() + settings.ACCOUNT_REAUTHENTICATION_TIMEOUT + 1
    monkeypatch.setattr(time, "time", lambda: later)

    response = client.get(SETUP)

    assert response.status_code == 302
    assert response["Location"].startswith(REAUTHENTICATE)


def test_a_session_with_no_sign_in_recorded_asks_for_the_password(client, manager):
    client.force_login(manager)

    response = client.get(SETUP)

    assert response.status_code == 302
    assert response["Location"].startswith(REAUTHENTICATE)


def test_after_confirming_their_password_the_person_reaches_the_setup_page(
    client, manager, password
):
    client.force_login(manager)

    client.post(REAUTHENTICATE, {"password": password})

    assert client.get(SETUP).status_code == 200
