"""Introduction emails through the real Redis broker, real Celery workers and a local SMTP
server: exactly once, nothing lost while the broker is down, retries with backoff."""

from __future__ import annotations

import time

import pytest
from django.urls import reverse

from mentorship import outbox, services
from mentorship.models import Mentorship, OutboxEmail
from mentorship.tasks import send_outbox_email
from tests.integration.fixtures import broker, wait_until

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.celery_worker]

INTRO = "Meet your"


def approve_a_match(mentee, mentor, manager, programme):
    mentor_request = services.request_mentor(mentee, mentor, programme, message="Hello")
    services.accept_request(mentor_request, by=mentor)
    return services.approve_request(mentor_request, by=manager)


def intros(smtp_server) -> list[str]:
    return sorted(
        str(m["To"]) for m in smtp_server.recorder.messages if str(m["Subject"]).startswith(INTRO)
    )


def test_each_person_gets_one_introduction_even_when_the_task_is_queued_twice(
    workers, smtp_server, mentee, mentor, manager, programme
):
    workers.start()
    approve_a_match(mentee, mentor, manager, programme)
    rows = list(OutboxEmail.objects.filter(kind="introduction"))
    assert len(rows) == 2
    for row in rows:  # the same delivery asked for twice more, as a retry storm would
        send_outbox_email.delay(row.pk)
        send_outbox_email.delay(row.pk)

    assert wait_until(lambda: workers.log().count("'skipped'") >= 4), workers.log()
    assert wait_until(lambda: len(intros(smtp_server)) >= 2)
    time.sleep(1)  # anything still to arrive would arrive now

    assert intros(smtp_server) == sorted([mentee.email, mentor.email])
    assert set(
        OutboxEmail.objects.filter(kind="introduction").values_list("status", flat=True)
    ) == {"sent"}


def test_a_worker_killed_after_sending_does_not_send_again_when_the_task_comes_back(
    workers, smtp_server, mentee, mentor, manager, programme, settings
):
    first = workers.start()
    killed: list[str] = []

    def kill_on_first_introduction(message) -> None:
        if str(message["Subject"]).startswith(INTRO) and not killed:
            killed.append(str(message["To"]))
            first.process.kill()  # before the worker hears "250 OK" or marks the row sent

    smtp_server.recorder.on_message = kill_on_first_introduction
    approve_a_match(mentee, mentor, manager, programme)
    assert wait_until(lambda: first.process.poll() is not None), workers.log()

    second = workers.start()  # the killed task is redelivered to it after the timeout
    assert wait_until(lambda: len(intros(smtp_server)) >= 2, timeout=40), workers.log()
    assert wait_until(lambda: "'skipped'" in "".join(second.output), timeout=40), "".join(
        second.output
    )

    assert intros(smtp_server) == sorted([mentee.email, mentor.email])
    stuck = OutboxEmail.objects.get(kind="introduction", to_email=killed[0])
    assert stuck.status == OutboxEmail.Status.SENDING  # left for the flush to flag

    settings.EMAIL_SENDING_TIMEOUT_SECONDS = 0
    outbox.flush_outbox()
    time.sleep(2)  # a resend, if anything queued one, would arrive now
    stuck.refresh_from_db()
    assert stuck.status == OutboxEmail.Status.UNCERTAIN  # we do not know: not sent again
    assert intros(smtp_server) == sorted([mentee.email, mentor.email])


def test_with_the_broker_down_the_approval_succeeds_and_the_emails_follow(
    workers, smtp_server, private_redis, mentee, mentor, manager, programme
):
    with broker(private_redis.url):  # nothing listens there yet
        approve_a_match(mentee, mentor, manager, programme)

        assert Mentorship.objects.filter(mentee=mentee, mentor=mentor, status="active").exists()
        assert OutboxEmail.objects.filter(kind="introduction", status="pending").count() == 2

        private_redis.start()
        workers.redis_url = private_redis.url
        workers.start(beat=True, OUTBOX_FLUSH_SECONDS="1")  # the periodic flush finds them

        assert wait_until(lambda: len(intros(smtp_server)) >= 2, timeout=40), workers.log()
    assert intros(smtp_server) == sorted([mentee.email, mentor.email])
    assert "flush_outbox" in workers.log()


def queue_one(user) -> OutboxEmail:
    from django.db import transaction

    with transaction.atomic():
        [row] = outbox.queue_email(
            "request_withdrawn",
            about=f"test:{user.pk}",
            recipients=[user],
            context={"mentee": user, "mentor": user, "programme": None},
        )
    return row


def test_smtp_refusals_are_retried_with_growing_waits(workers, smtp_server, mentee):
    smtp_server.recorder.refuse = 2
    workers.start(EMAIL_RETRY_BASE_SECONDS="1", EMAIL_MAX_ATTEMPTS="5")
    started = time.monotonic()

    row = queue_one(mentee)

    assert wait_until(lambda: len(smtp_server.recorder.messages) == 1, timeout=40), workers.log()
    elapsed = time.monotonic() - started
    # The worker marks the row sent just after the SMTP server has the message.
    assert wait_until(
        lambda: OutboxEmail.objects.get(pk=row.pk).status == OutboxEmail.Status.SENT, timeout=30
    ), workers.log()
    row.refresh_from_db()
    assert row.attempts == 3
    assert smtp_server.recorder.refused == 2
    assert elapsed >= 3  # waited 1 s, then 2 s


def test_after_the_cap_the_email_is_failed_in_the_admin_and_can_be_retried(
    workers, smtp_server, mentee, client, staff, with_mfa
):
    smtp_server.recorder.refuse = 3
    workers.start(EMAIL_RETRY_BASE_SECONDS="1", EMAIL_MAX_ATTEMPTS="3")

    row = queue_one(mentee)
    assert wait_until(
        lambda: OutboxEmail.objects.get(pk=row.pk).status == OutboxEmail.Status.FAILED,
        timeout=40,
    ), workers.log()
    assert not smtp_server.recorder.messages

    with_mfa(staff)
    client.force_login(staff)
    changelist = reverse("admin:mentorship_outboxemail_changelist")
    assert mentee.email in client.get(changelist, {"status__exact": "failed"}).content.decode()
    client.post(changelist, {"action": "retry_selected", "_selected_action": [row.pk]})

    assert wait_until(lambda: len(smtp_server.recorder.messages) == 1, timeout=30), workers.log()
    # The worker marks the row sent just after the SMTP server has the message.
    assert wait_until(
        lambda: OutboxEmail.objects.get(pk=row.pk).status == OutboxEmail.Status.SENT, timeout=30
    ), workers.log()


def test_a_relay_that_hangs_after_data_leaves_the_email_uncertain_and_it_is_never_resent(
    workers, smtp_server, mentee
):
    smtp_server.recorder.hang_after_data = 60  # it keeps the message and never says so
    workers.start(beat=True, OUTBOX_FLUSH_SECONDS="1", EMAIL_TIMEOUT="1")

    row = queue_one(mentee)

    assert wait_until(
        lambda: OutboxEmail.objects.get(pk=row.pk).status == OutboxEmail.Status.UNCERTAIN,
        timeout=30,
    ), workers.log()
    time.sleep(4)  # several flushes later
    row.refresh_from_db()
    assert row.status == OutboxEmail.Status.UNCERTAIN and row.attempts == 1
    assert "did not confirm it" in row.last_error
    [kept] = smtp_server.recorder.messages
    assert kept["Message-ID"] == f"<outbox-{row.pk}@example.org>"


def test_a_permanent_refusal_fails_at_once_and_is_not_retried(workers, smtp_server, mentee):
    recorder = smtp_server.recorder
    recorder.refuse, recorder.refuse_at = 10**6, "RCPT"
    recorder.refusal = "550 5.1.1 No such mailbox here"
    workers.start(EMAIL_RETRY_BASE_SECONDS="1", EMAIL_MAX_ATTEMPTS="5")

    row = queue_one(mentee)

    assert wait_until(
        lambda: OutboxEmail.objects.get(pk=row.pk).status == OutboxEmail.Status.FAILED,
        timeout=30,
    ), workers.log()
    time.sleep(3)  # a retry after the 1 s backoff would have come by now
    row.refresh_from_db()
    assert row.attempts == 1 and "550 5.1.1 No such mailbox here" in row.last_error
    assert recorder.refused == 1 and not recorder.messages


def test_a_lost_database_connection_after_sending_still_marks_the_email_sent(
    workers, smtp_server, mentee
):
    import psycopg
    from django.db import connection

    from tests.integration.fixtures import _database_url

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        [ours] = cursor.fetchone()
    killed: list[int] = []

    def kill_the_workers_database_connections(message) -> None:
        # The relay has the message; the worker is waiting for "250" with its connection idle.
        with psycopg.connect(_database_url(), autocommit=True) as admin:
            rows = admin.execute(
                "SELECT pg_terminate_backend(pid), pid FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid() AND pid <> %s",
                [ours],
            ).fetchall()
        killed.extend(pid for terminated, pid in rows if terminated)

    smtp_server.recorder.on_message = kill_the_workers_database_connections
    workers.start()

    row = queue_one(mentee)

    assert wait_until(
        lambda: OutboxEmail.objects.get(pk=row.pk).status == OutboxEmail.Status.SENT,
        timeout=30,
    ), workers.log()
    assert killed, "no worker connection was there to kill"
    row.refresh_from_db()
    assert row.attempts == 1 and row.sent_at is not None
    assert len(smtp_server.recorder.messages) == 1
    assert "Lost the database writing outbox email" in workers.log()
