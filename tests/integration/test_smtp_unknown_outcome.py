"""When nobody knows whether an email went (the relay had the whole message and never
answered), the email is "uncertain" and never resent on its own, like one whose worker died
mid-send. Every email carries a Message-ID derived from its row, so a resend is the same
message."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.core import mail
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


def test_a_relay_that_hangs_after_data_leaves_the_email_uncertain_and_it_is_not_resent(
    mentee, smtp_hanging_after_data, smtp_settings, settings
):
    settings.EMAIL_SENDING_TIMEOUT_SECONDS = 0
    smtp_settings(smtp_hanging_after_data)  # EMAIL_TIMEOUT is 1 second
    recorder = smtp_hanging_after_data.recorder
    row = queue(mentee)

    started = time.monotonic()
    outcome = outbox.deliver(row.pk)
    elapsed = time.monotonic() - started

    row.refresh_from_db()
    assert outcome == "uncertain"
    assert row.status == OutboxEmail.Status.UNCERTAIN and row.attempts == 1
    assert "did not confirm it" in row.last_error and "check the mail log" in row.last_error
    assert elapsed < 1.9  # one timeout, no second one waiting for QUIT
    [kept] = recorder.messages  # the relay did keep it
    assert kept["Message-ID"] == f"<outbox-{row.pk}@example.org>"

    OutboxEmail.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
    assert outbox.flush_outbox() == 0
    assert outbox.deliver(row.pk) == "skipped"
    row.refresh_from_db()
    assert row.status == OutboxEmail.Status.UNCERTAIN and len(recorder.messages) == 1


def test_a_relay_that_hangs_before_it_has_the_message_is_retried_as_not_sent(mentee, smtp_settings):
    recorder = SMTPRecorder(hang_before_data=60)
    with running_smtp(recorder) as server:
        smtp_settings(server)
        row = queue(mentee)

        assert outbox.deliver(row.pk) == "retry"

    row.refresh_from_db()
    assert row.status == OutboxEmail.Status.PENDING and row.attempts == 1
    assert "timed out" in row.last_error
    assert not recorder.messages


def test_a_row_a_worker_left_sending_is_flagged_uncertain_and_not_resent(mentee, settings):
    settings.EMAIL_SENDING_TIMEOUT_SECONDS = 60
    row = queue(mentee)
    OutboxEmail.objects.filter(pk=row.pk).update(
        status=OutboxEmail.Status.SENDING, claimed_at=timezone.now() - timedelta(minutes=5)
    )

    assert outbox.flush_outbox() == 0
    assert outbox.flush_outbox() == 0

    row.refresh_from_db()
    assert row.status == OutboxEmail.Status.UNCERTAIN
    assert not mail.outbox


def test_every_email_has_a_message_id_derived_from_its_row(mentee):
    row = queue(mentee)

    assert outbox.deliver(row.pk) == "sent"

    [sent] = mail.outbox
    assert sent.message()["Message-ID"] == f"<outbox-{row.pk}@example.org>"
    assert outbox.message_id(row.pk) == f"<outbox-{row.pk}@example.org>"


def test_the_message_id_uses_the_site_address_when_the_sender_has_no_domain(settings):
    settings.DEFAULT_FROM_EMAIL = "webmaster"
    settings.SITE_URL = "https://mentoring.example.org/"

    assert outbox.message_id(7) == "<outbox-7@mentoring.example.org>"
