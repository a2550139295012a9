"""allauth's emails through the real Redis broker, a real Celery worker and a local SMTP
server: the web request only writes the outbox (issue 9, item 9)."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from accounts.models import User
from mentorship.models import OutboxEmail
from tests.integration.fixtures import wait_until

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.celery_worker]

SIGNUP = {
    "full_name": "Dr Fatima Elhassan",
    "email": "fatima.elhassan@example.org",
    "password1": "a-long-and-unusual-passphrase",
    "password2": "a-long-and-unusual-passphrase",
}


def test_a_real_worker_sends_the_verification_email_and_its_link_verifies_the_address(
    client, celery_worker, smtp_server
):
    response = client.post(reverse("account_signup"), SIGNUP)

    assert response.status_code == 302
    assert User.objects.filter(email=SIGNUP["email"]).count() == 1
    assert wait_until(lambda: len(smtp_server.recorder.messages) == 1), "".join(
        celery_worker.output
    )
    message = smtp_server.recorder.messages[0]
    assert message["To"] == SIGNUP["email"]
    assert message["Subject"] == "[IMG Mentor Match] Confirm your email address"
    parts = {part.get_content_type(): part for part in message.walk()}
    text = parts["text/plain"].get_payload(decode=True).decode()
    assert "/accounts/confirm-email/" in parts["text/html"].get_payload(decode=True).decode()
    assert wait_until(
        lambda: OutboxEmail.objects.get(kind="account.email_confirmation_signup").status == "sent"
    )

    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+/)", text).group(1)
    assert client.post(link).status_code == 302
    assert EmailAddress.objects.get(email=SIGNUP["email"]).verified


def test_password_reset_answers_at_once_while_no_worker_runs(client, workers, mentee):
    # No worker is started: the request must not depend on one (or on the mail server).
    response = client.post(reverse("account_reset_password"), {"email": mentee.email})

    assert response.status_code == 302
    row = OutboxEmail.objects.get(kind="account.password_reset_key")
    assert (row.to_email, row.status, row.attempts) == (mentee.email, "pending", 0)
