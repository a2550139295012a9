"""allauth's emails go through the outbox, so sign-up and password reset never wait for the
mail server or fail with it (issue 9, item 9)."""

import re
import socket
from unittest import mock

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import User
from mentorship.models import OutboxEmail

pytestmark = pytest.mark.django_db

SIGNUP = {
    "full_name": "Dr Chinedu Eze",
    "email": "chinedu.eze@example.org",
    "password1": "a-long-and-unusual-passphrase",
    "password2": "a-long-and-unusual-passphrase",
}


@pytest.fixture
def refusing_mail_server(settings):
    """Real SMTP, pointed at a local port where nothing listens: every connection is refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_TIMEOUT = 2
    return port


def test_sign_up_succeeds_and_keeps_the_email_when_the_mail_server_refuses(
    client, refusing_mail_server, django_capture_on_commit_callbacks
):
    # Executing the on-commit hooks runs delivery in-process (eager Celery), so the mail
    # server really is tried, and refuses, during this test.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_signup"), SIGNUP)

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get(email="chinedu.eze@example.org")
    assert EmailAddress.objects.filter(email="chinedu.eze@example.org").count() == 1
    row = OutboxEmail.objects.get(kind="account.email_confirmation_signup")
    assert row.to_email == "chinedu.eze@example.org"
    assert row.recipient == user
    assert row.status == OutboxEmail.Status.PENDING  # to be tried again after its backoff
    assert row.attempts == 1
    assert "Connection refused" in row.last_error or "ConnectionRefused" in row.last_error
    assert "/accounts/confirm-email/" in row.body_text


def test_password_reset_succeeds_and_keeps_the_email_when_the_mail_server_refuses(
    client, mentee, refusing_mail_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_reset_password"), {"email": mentee.email})

    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_done")
    row = OutboxEmail.objects.get(kind="account.password_reset_key")
    assert (row.to_email, row.recipient, row.status) == (mentee.email, mentee, "pending")
    assert row.attempts == 1
    assert "/accounts/password/reset/key/" in row.body_text


def test_a_second_password_reset_is_a_second_email_not_a_duplicate(
    client, mentee, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": mentee.email})
        client.post(reverse("account_reset_password"), {"email": mentee.email})

    rows = OutboxEmail.objects.filter(kind="account.password_reset_key", to_email=mentee.email)
    assert rows.count() == 2
    assert {row.status for row in rows} == {"sent"}
    assert [m.to for m in mail.outbox] == [[mentee.email], [mentee.email]]


def test_the_verification_email_arrives_with_a_plain_text_and_an_html_part(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_signup"), SIGNUP)

    (message,) = mail.outbox
    assert message.subject == "[IMG Mentor Match] Confirm your email address"
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", message.body).group(0)
    html, mime = message.alternatives[0]
    assert mime == "text/html"
    assert f'href="{link}"' in html
    assert "IMG Mentor Match" in html


def test_sign_up_saves_the_account_its_address_and_its_email_together_or_not_at_all():
    # Writing the email to the outbox fails (as a database error would) after the account
    # was created: the whole sign-up is undone.
    client = Client(raise_request_exception=False)

    with mock.patch("mentorship.outbox.queue_message", side_effect=RuntimeError("disk full")):
        response = client.post(reverse("account_signup"), SIGNUP)

    assert response.status_code == 500
    assert not User.objects.filter(email="chinedu.eze@example.org").exists()
    assert not EmailAddress.objects.filter(email="chinedu.eze@example.org").exists()
    assert not OutboxEmail.objects.exists()
