"""The admin's "send again": failed emails go again, uncertain ones only after a
confirmation page that says they may arrive twice, and sent ones never."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from mentorship import outbox
from mentorship.models import OutboxEmail

pytestmark = pytest.mark.django_db
Status = OutboxEmail.Status


@pytest.fixture
def staff_client(client, staff, with_mfa):
    with_mfa(staff)
    client.force_login(staff)
    return client


def queue(user, about: str) -> OutboxEmail:
    [row] = outbox.queue_email(
        "request_withdrawn",
        about=about,
        recipients=[user],
        context={"mentee": user, "mentor": user, "programme": None, "because_matched": False},
    )
    return row


def with_status(row: OutboxEmail, status: str) -> OutboxEmail:
    OutboxEmail.objects.filter(pk=row.pk).update(status=status, attempts=2, last_error="boom")
    row.refresh_from_db()
    return row


def send_again(client, rows, **extra):
    return client.post(
        reverse("admin:mentorship_outboxemail_changelist"),
        {"action": "retry_selected", "_selected_action": [r.pk for r in rows], **extra},
        follow=True,
    )


def test_a_sent_email_is_not_sent_again_from_the_admin(
    staff_client, mentee, django_capture_on_commit_callbacks
):
    row = queue(mentee, "thing:sent")
    assert outbox.deliver(row.pk) == "sent"

    with django_capture_on_commit_callbacks(execute=True):
        response = send_again(staff_client, [row])

    row.refresh_from_db()
    assert row.status == Status.SENT and row.attempts == 1
    assert len(mail.outbox) == 1
    assert "1 email(s) left as they were" in response.content.decode()


def test_waiting_and_sending_emails_are_left_alone(
    staff_client, mentee, django_capture_on_commit_callbacks
):
    waiting = queue(mentee, "thing:waiting")
    sending = with_status(queue(mentee, "thing:sending"), Status.SENDING)

    with django_capture_on_commit_callbacks(execute=True):
        send_again(staff_client, [waiting, sending])

    assert OutboxEmail.objects.get(pk=waiting.pk).attempts == 0
    assert OutboxEmail.objects.get(pk=sending.pk).status == Status.SENDING
    assert not mail.outbox


def test_an_uncertain_email_asks_for_confirmation_and_is_not_sent_without_it(
    staff_client, mentee, django_capture_on_commit_callbacks
):
    row = with_status(queue(mentee, "thing:uncertain"), Status.UNCERTAIN)

    with django_capture_on_commit_callbacks(execute=True):
        response = send_again(staff_client, [row])

    page = response.content.decode()
    assert response.status_code == 200
    assert "Send uncertain emails again?" in page and "second copy" in page
    assert mentee.email in page and 'name="confirm_uncertain" value="yes"' in page
    row.refresh_from_db()
    assert row.status == Status.UNCERTAIN and row.attempts == 2
    assert not mail.outbox


def test_a_confirmed_uncertain_email_is_sent_again_with_the_same_message_id(
    staff_client, mentee, django_capture_on_commit_callbacks
):
    row = with_status(queue(mentee, "thing:uncertain"), Status.UNCERTAIN)

    with django_capture_on_commit_callbacks(execute=True):
        response = send_again(staff_client, [row], confirm_uncertain="yes")

    assert "1 email(s) queued to send again" in response.content.decode()
    row.refresh_from_db()
    assert row.status == Status.SENT and row.attempts == 1
    [sent] = mail.outbox
    assert sent.message()["Message-ID"] == f"<outbox-{row.pk}@example.org>"


def test_failed_and_uncertain_emails_selected_together_wait_for_the_confirmation(
    staff_client, mentee, django_capture_on_commit_callbacks
):
    failed = with_status(queue(mentee, "thing:failed"), Status.FAILED)
    uncertain = with_status(queue(mentee, "thing:uncertain"), Status.UNCERTAIN)

    with django_capture_on_commit_callbacks(execute=True):
        send_again(staff_client, [failed, uncertain])
    assert not mail.outbox
    assert OutboxEmail.objects.get(pk=failed.pk).status == Status.FAILED

    with django_capture_on_commit_callbacks(execute=True):
        send_again(staff_client, [failed, uncertain], confirm_uncertain="yes")

    assert set(OutboxEmail.objects.values_list("status", flat=True)) == {Status.SENT}
    assert len(mail.outbox) == 2


def test_a_failed_email_is_sent_again_without_asking(
    staff_client, mentee, django_capture_on_commit_callbacks
):
    row = with_status(queue(mentee, "thing:failed"), Status.FAILED)

    with django_capture_on_commit_callbacks(execute=True):
        response = send_again(staff_client, [row])

    assert "1 email(s) queued to send again" in response.content.decode()
    row.refresh_from_db()
    assert row.status == Status.SENT and row.attempts == 1 and row.last_error == ""
    assert len(mail.outbox) == 1
