"""The email outbox: written with the change, sent once, retried with backoff, then failed."""

from datetime import timedelta
from smtplib import SMTPServerDisconnected

import pytest
from django.core import mail
from django.utils import timezone

from mentorship import outbox
from mentorship.models import OutboxEmail

pytestmark = pytest.mark.django_db


class FlakySMTPBackend:
    """Stands in for an SMTP relay (outside the machine) that fails `failures` times."""

    failures = 0
    calls = 0

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        type(self).calls += 1
        if type(self).calls <= type(self).failures:
            raise SMTPServerDisconnected("Connection unexpectedly closed")
        mail.outbox.extend(messages)
        return len(messages)


@pytest.fixture
def flaky(settings):
    settings.EMAIL_BACKEND = "tests.mentorship.test_outbox.FlakySMTPBackend"
    FlakySMTPBackend.calls = 0
    return FlakySMTPBackend


def queue(user, about="thing:1"):
    return outbox.queue_email(
        "request_withdrawn",
        about=about,
        recipients=[user],
        context={"mentee": user, "mentor": user, "programme": None, "because_matched": False},
    )


def test_queuing_the_same_email_twice_writes_one_row(mentee):
    first = queue(mentee)
    second = queue(mentee)

    assert len(first) == 1 and second == []
    assert OutboxEmail.objects.count() == 1


def test_a_row_is_sent_once_however_often_delivery_is_asked(mentee):
    [row] = queue(mentee)

    assert outbox.deliver(row.pk) == "sent"
    assert outbox.deliver(row.pk) == "skipped"

    assert len(mail.outbox) == 1
    row.refresh_from_db()
    assert row.status == OutboxEmail.Status.SENT and row.sent_at and row.attempts == 1
    assert mail.outbox[0].extra_headers["X-Outbox-Id"] == str(row.pk)


def test_a_failed_attempt_is_retried_later_with_growing_backoff(mentee, flaky, settings):
    settings.EMAIL_RETRY_BASE_SECONDS = 60
    flaky.failures = 2
    [row] = queue(mentee)

    assert outbox.deliver(row.pk) == "retry"
    row.refresh_from_db()
    first_wait = row.next_attempt_at - timezone.now()
    assert row.status == OutboxEmail.Status.PENDING and "SMTPServerDisconnected" in row.last_error
    assert timedelta(seconds=55) < first_wait <= timedelta(seconds=60)
    assert outbox.deliver(row.pk) == "skipped"  # not due yet

    OutboxEmail.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
    assert outbox.deliver(row.pk) == "retry"
    row.refresh_from_db()
    assert row.next_attempt_at - timezone.now() > timedelta(seconds=115)  # doubled

    OutboxEmail.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
    assert outbox.deliver(row.pk) == "sent"
    assert len(mail.outbox) == 1


def test_backoff_doubles_up_to_the_cap(settings):
    settings.EMAIL_RETRY_BASE_SECONDS, settings.EMAIL_RETRY_MAX_SECONDS = 60, 600

    assert [outbox.backoff_seconds(n) for n in range(1, 7)] == [60, 120, 240, 480, 600, 600]


def test_after_the_last_attempt_the_row_is_marked_failed(mentee, flaky, settings):
    settings.EMAIL_MAX_ATTEMPTS = 3
    flaky.failures = 99
    [row] = queue(mentee)

    outcomes = []
    for _ in range(3):
        OutboxEmail.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
        outcomes.append(outbox.deliver(row.pk))

    assert outcomes == ["retry", "retry", "failed"]
    row.refresh_from_db()
    assert row.status == OutboxEmail.Status.FAILED and row.attempts == 3
    assert not mail.outbox


def test_the_admin_can_send_a_failed_email_again(
    client, staff, with_mfa, mentee, flaky, settings, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    settings.EMAIL_MAX_ATTEMPTS = 1
    flaky.failures = 1
    [row] = queue(mentee)
    outbox.deliver(row.pk)
    with_mfa(staff)
    client.force_login(staff)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:mentorship_outboxemail_changelist"),
            {"action": "retry_selected", "_selected_action": [row.pk]},
        )

    assert response.status_code == 302
    row.refresh_from_db()
    assert row.status == OutboxEmail.Status.SENT
    assert len(mail.outbox) == 1


def test_the_flush_queues_due_rows_and_flags_rows_stuck_while_sending(mentee, settings):
    settings.EMAIL_SENDING_TIMEOUT_SECONDS = 60
    [due] = queue(mentee, about="thing:due")
    [stuck] = queue(mentee, about="thing:stuck")
    OutboxEmail.objects.filter(pk=stuck.pk).update(
        status=OutboxEmail.Status.SENDING, claimed_at=timezone.now() - timedelta(minutes=5)
    )

    assert outbox.flush_outbox() == 1  # Celery is eager in tests: the due row is sent

    due.refresh_from_db()
    stuck.refresh_from_db()
    assert due.status == OutboxEmail.Status.SENT
    assert stuck.status == OutboxEmail.Status.UNCERTAIN
    assert "stopped while sending" in stuck.last_error
    assert len(mail.outbox) == 1


def test_the_outbox_admin_lists_failures(client, staff, with_mfa, mentee):
    from django.urls import reverse

    [row] = queue(mentee)
    OutboxEmail.objects.filter(pk=row.pk).update(status="failed", last_error="boom")
    with_mfa(staff)
    client.force_login(staff)

    html = client.get(
        reverse("admin:mentorship_outboxemail_changelist"), {"status__exact": "failed"}
    ).content.decode()

    assert mentee.email in html and "Failed" in html
