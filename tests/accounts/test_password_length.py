"""Passwords have at least 12 characters (ASVS 2.1.1; issue 9, item 20)."""

import pytest
from django.urls import reverse

from accounts.models import User

pytestmark = pytest.mark.django_db

ELEVEN = "kettle-drum"  # 11 characters, not a common password
TWELVE = "kettle-drums"


def _signup(client, password: str):
    return client.post(
        reverse("account_signup"),
        {
            "full_name": "Dr Ngozi Okafor",
            "email": "ngozi.okafor@example.org",
            "password1": password,
            "password2": password,
        },
    )


def test_sign_up_refuses_a_password_of_eleven_characters(client):
    response = _signup(client, ELEVEN)

    assert response.status_code == 200
    assert "at least 12 characters" in response.content.decode()
    assert not User.objects.filter(email="ngozi.okafor@example.org").exists()


def test_sign_up_accepts_a_password_of_twelve_characters(client):
    response = _signup(client, TWELVE)

    assert response.status_code == 302
    assert User.objects.get(email="ngozi.okafor@example.org").check_password(TWELVE)


def test_the_sign_up_page_says_twelve_characters(client):
    html = client.get(reverse("account_signup")).content.decode()

    assert "At least 12 characters" in html


def test_changing_to_a_password_of_eleven_characters_is_refused(client, mentee, password):
    client.force_login(mentee)

    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": password, "password1": ELEVEN, "password2": ELEVEN},
    )

    assert response.status_code == 200
    mentee.refresh_from_db()
    assert mentee.check_password(password)
    assert not mentee.check_password(ELEVEN)
