"""SMTP refusals against a local SMTP server: a permanent refusal (5xx) fails the email at
once and says why; a temporary one (4xx) is retried with backoff."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from mentorship import outbox
from mentorship.models import OutboxEmail
from tests.integration.fixtures import SMTPRecorder, running_smtp

pytestmark = pytest.mark.django_db


def queue(user) -> OutboxEmail:
    [row] = outbox.queue_email(
        "request_withdrawn",
        about=f"test:{user.pk}",
        recipients=[user],
        context={"mentee": user, "mentor": user, "programme": None, "because_matched": False},
    )
    return row


@pytest.mark.parametrize(
    ("stage", "answer", "code"),
    [
        ("MAIL", "553 5.7.1 Sender address rejected", "553"),  # SMTPSenderRefused
        ("RCPT", "550 5.1.1 No such mailbox here", "550"),  # SMTPRecipientsRefused
        ("DATA", "554 5.7.0 Message rejected as spam", "554"),  # SMTPDataError
    ],
)
def test_a_permanent_refusal_fails_the_email_at_once_and_shows_the_code(
    mentee, smtp_settings, stage, answer, code
):
    recorder = SMTPRecorder(refuse=10**6, refuse_at=stage, refusal=answer)
    with running_smtp(recorder) as server:
        smtp_settings(server)
        row = queue(mentee)

        assert outbox.deliver(row.pk) == "failed"
        row.refresh_from_db()
        assert row.status == OutboxEmail.Status.FAILED and row.attempts == 1
        assert f"Refused by the mail server: {code}" in row.last_error
        assert answer.split(" ", 1)[1] in row.last_error

        OutboxEmail.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
        assert outbox.flush_outbox() == 0  # nothing due: it is not tried again
        assert outbox.deliver(row.pk) == "skipped"
    assert recorder.refused == 1 and not recorder.messages


def test_a_recipient_refused_for_good_is_failed_without_waiting_for_the_attempt_cap(
    mentee, smtp_refusing_for_good, smtp_settings, settings
):
    settings.EMAIL_MAX_ATTEMPTS = 6
    smtp_settings(smtp_refusing_for_good)
    row = queue(mentee)

    outcome = outbox.deliver(row.pk)

    row.refresh_from_db()
    assert outcome == "failed"
    assert row.status == OutboxEmail.Status.FAILED and row.attempts == 1
    assert "550 5.1.1 No such mailbox here" in row.last_error


def test_a_temporary_refusal_is_retried_with_backoff_until_the_relay_takes_it(
    mentee, smtp_refusing_for_now, smtp_settings, settings
):
    settings.EMAIL_RETRY_BASE_SECONDS = 60
    smtp_settings(smtp_refusing_for_now)
    recorder = smtp_refusing_for_now.recorder
    row = queue(mentee)

    assert outbox.deliver(row.pk) == "retry"
    row.refresh_from_db()
    assert row.status == OutboxEmail.Status.PENDING and row.attempts == 1
    assert "451" in row.last_error
    assert row.next_attempt_at - timezone.now() > timedelta(seconds=55)

    OutboxEmail.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
    assert outbox.deliver(row.pk) == "retry"
    row.refresh_from_db()
    assert row.next_attempt_at - timezone.now() > timedelta(seconds=115)  # doubled

    recorder.refuse = recorder.refused  # the relay is no longer busy
    OutboxEmail.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
    assert outbox.deliver(row.pk) == "sent"
    row.refresh_from_db()
    assert row.status == OutboxEmail.Status.SENT and row.attempts == 3
    assert [str(m["To"]) for m in recorder.messages] == [mentee.email]


def test_a_temporary_refusal_of_the_recipient_is_retried_too(mentee, smtp_settings):
    recorder = SMTPRecorder(refuse=1, refuse_at="RCPT", refusal="450 4.2.1 Mailbox busy")
    with running_smtp(recorder) as server:
        smtp_settings(server)
        row = queue(mentee)

        assert outbox.deliver(row.pk) == "retry"
        row.refresh_from_db()
        assert row.status == OutboxEmail.Status.PENDING and "450" in row.last_error
