import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from accounts.models import User
from mentorship.models import OutboxEmail

pytestmark = pytest.mark.django_db

SIGNUP = {
    "full_name": "Dr Chinedu  Eze",
    "email": "Chinedu.Eze@example.org",
    "password1": "a-long-and-unusual-passphrase",
    "password2": "a-long-and-unusual-passphrase",
}


def _confirmation_link(message) -> str:
    match = re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_a_new_person_signs_up_verifies_their_email_and_signs_in(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_signup"), SIGNUP)

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get(email="chinedu.eze@example.org")
    assert user.full_name == "Dr Chinedu Eze"
    assert user.password.startswith("argon2")
    assert not EmailAddress.objects.get(user=user).verified

    # Verification is mandatory: signing in before it sends the person back to verify.
    client.logout()
    response = client.post(
        reverse("account_login"), {"login": SIGNUP["email"], "password": SIGNUP["password1"]}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session

    # One verification email, through the outbox: allauth limits re-sends to one per
    # address every 3 minutes.
    assert [m.to for m in mail.outbox] == [["chinedu.eze@example.org"]]
    assert OutboxEmail.objects.get(kind="account.email_confirmation_signup").status == "sent"
    link = _confirmation_link(mail.outbox[-1])
    assert client.get(link).status_code == 200  # a confirmation page, not a GET side effect
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(link)

    assert response.status_code == 302
    assert EmailAddress.objects.get(user=user).verified
    welcome = mail.outbox[-1]
    assert welcome.to == ["chinedu.eze@example.org"]
    assert welcome.subject == "Welcome to IMG Mentor Match"
    assert "Dr Chinedu Eze" in welcome.body
    assert welcome.alternatives[0][1] == "text/html"

    client.logout()
    response = client.post(
        reverse("account_login"), {"login": SIGNUP["email"], "password": SIGNUP["password1"]}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")
    assert int(client.session["_auth_user_id"]) == user.pk
    assert client.get(reverse("dashboard")).status_code == 200


def test_signup_needs_a_full_name(client):
    response = client.post(reverse("account_signup"), {**SIGNUP, "full_name": "  "})

    assert response.status_code == 200
    assert "Enter your full name" in response.content.decode()
    assert "There is a problem" in response.content.decode()
    assert not User.objects.exists()


def test_signing_up_with_a_taken_address_does_not_reveal_that_it_exists(
    client, mentee, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        fresh = client.post(reverse("account_signup"), {**SIGNUP, "email": "new@example.org"})
        taken = client.post(reverse("account_signup"), {**SIGNUP, "email": mentee.email})

    assert taken.status_code == fresh.status_code == 302
    assert taken["Location"] == fresh["Location"]
    assert User.objects.filter(email=mentee.email).count() == 1
    # The owner of the address is told instead, by email.
    assert mail.outbox[-1].to == [mentee.email]
    assert "already" in mail.outbox[-1].body


def test_password_reset_answers_the_same_for_unknown_addresses(
    client, mentee, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(reverse("account_reset_password"), {"email": mentee.email})
        unknown = client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})

    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    reset, no_account = mail.outbox
    assert reset.to == [mentee.email]
    assert "/accounts/password/reset/key/" in reset.body
    # The unknown address is told there is no account, with no reset link in it.
    assert no_account.to == ["nobody@example.org"]
    assert "/accounts/password/reset/key/" not in no_account.body


def test_a_wrong_password_is_refused_with_a_message(client, mentee):
    response = client.post(
        reverse("account_login"), {"login": mentee.email, "password": "not-the-password"}
    )

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "There is a problem" in response.content.decode()


def test_logout_by_get_only_asks_for_confirmation(client, mentee, password):
    client.force_login(mentee)

    response = client.get(reverse("account_logout"))
    assert response.status_code == 200
    assert "_auth_user_id" in client.session

    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_change_keeps_the_person_signed_in_with_the_new_password(client, mentee, password):
    client.force_login(mentee)
    response = client.post(
        reverse("account_change_password"),
        {
            "oldpassword": password,
            "password1": "another-long-passphrase",
            "password2": "another-long-passphrase",
        },
    )

    assert response.status_code == 302
    mentee.refresh_from_db()
    assert mentee.check_password("another-long-passphrase")
    assert mentee.password.startswith("argon2")
