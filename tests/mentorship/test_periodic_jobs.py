"""Celery beat's jobs: expire stale requests, remind mentors once, pause unresponsive ones."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from mentorship import jobs as tasks
from mentorship import services
from mentorship.models import Action, MentorProfile, MentorRequest
from tests.factories import new_mentee, new_request

pytestmark = pytest.mark.django_db
Status = MentorRequest.Status


def age(mentor_request, days: int) -> None:
    past = timezone.now() - timedelta(days=days)
    MentorRequest.objects.filter(pk=mentor_request.pk).update(
        created_at=past,
        expires_at=past + timedelta(days=mentor_request.programme.request_expiry_days),
    )


def test_requests_past_their_expiry_expire_and_the_mentee_is_told(
    mentee, mentor, programme, django_capture_on_commit_callbacks
):
    old = services.request_mentor(mentee, mentor, programme)
    fresh = services.request_mentor(new_mentee(programme), mentor, programme)
    age(old, days=15)

    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.expire_requests() == 1

    old.refresh_from_db()
    fresh.refresh_from_db()
    assert (old.status, fresh.status) == (Status.EXPIRED, Status.PENDING)
    event = old.events.last()
    assert event.actor is None and event.action == Action.EXPIRED
    assert mail.outbox[-1].to == [mentee.email]
    assert "expired" in mail.outbox[-1].subject


def test_an_unanswered_question_expires_without_counting_against_the_mentor(
    mentee, mentor, programme
):
    """The mentor asked and the mentee went quiet: the request expires, but that silence is
    not the mentor's, so it does not move them towards an automatic pause."""
    for asker in (mentee, new_mentee(programme)):
        mentor_request = services.request_mentor(asker, mentor, programme)
        services.ask_for_more_info(mentor_request, by=mentor, question="Why GP?")
        age(mentor_request, days=20)

    assert tasks.expire_requests() == 2

    assert MentorRequest.objects.filter(status=Status.EXPIRED).count() == 2
    assert MentorProfile.objects.get(user=mentor).is_accepting_requests


def test_accepted_requests_never_expire(mentee, mentor, programme):
    mentor_request = services.request_mentor(mentee, mentor, programme)
    services.accept_request(mentor_request, by=mentor)
    age(mentor_request, days=30)

    assert tasks.expire_requests() == 0


def test_a_mentor_who_lets_two_requests_expire_is_paused_and_managers_told(
    mentee, mentor, manager, programme, django_capture_on_commit_callbacks
):
    first = services.request_mentor(mentee, mentor, programme)
    second = services.request_mentor(new_mentee(programme), mentor, programme)
    age(first, days=15)
    tasks.expire_requests()
    assert MentorProfile.objects.get(user=mentor).is_accepting_requests  # one is not enough

    age(second, days=15)
    with django_capture_on_commit_callbacks(execute=True):
        tasks.expire_requests()

    profile = MentorProfile.objects.get(user=mentor)
    assert not profile.is_accepting_requests and profile.paused_automatically_at
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects[mentor.email] == "We have paused new requests to you"
    assert "paused after two unanswered requests" in subjects[manager.email]


def test_after_unpausing_only_new_expiries_count(mentee, mentor, programme):
    for _ in range(2):
        r = services.request_mentor(new_mentee(programme), mentor, programme)
        age(r, days=15)
    tasks.expire_requests()
    profile = MentorProfile.objects.get(user=mentor)
    profile.is_accepting_requests = True  # the one-click unpause
    profile.save()

    third = services.request_mentor(mentee, mentor, programme)
    age(third, days=15)
    tasks.expire_requests()

    assert MentorProfile.objects.get(user=mentor).is_accepting_requests


def test_mentors_are_reminded_once_after_three_days(
    mentee, mentor, programme, django_capture_on_commit_callbacks
):
    mentor_request = services.request_mentor(mentee, mentor, programme)
    assert tasks.remind_mentors() == 0
    MentorRequest.objects.filter(pk=mentor_request.pk).update(
        created_at=timezone.now() - timedelta(days=4)
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.remind_mentors() == 1
    assert tasks.remind_mentors() == 0

    mentor_request.refresh_from_db()
    assert mentor_request.reminded_at is not None
    assert mentor_request.status == Status.PENDING
    reminders = [m for m in mail.outbox if m.subject.startswith("Reminder")]
    assert [m.to for m in reminders] == [[mentor.email]]
    assert "is waiting for your answer" in reminders[0].body


@pytest.mark.parametrize(
    ("waited", "reminders"),
    [
        (timedelta(days=2, hours=23), 0),
        (timedelta(days=2, hours=23, minutes=59, seconds=59), 0),
        (timedelta(days=3), 1),
        (timedelta(days=3, hours=1), 1),
    ],
)
def test_the_reminder_comes_after_three_days_not_before(
    mentee, mentor, programme, waited, reminders
):
    mentor_request = new_request(mentee, mentor, programme)
    now = timezone.now()
    MentorRequest.objects.filter(pk=mentor_request.pk).update(created_at=now - waited)

    assert services.remind_mentors_of_waiting_requests(now=now) == reminders

    mentor_request.refresh_from_db()
    assert (mentor_request.reminded_at is not None) == bool(reminders)


def test_the_beat_schedule_runs_each_job():
    from django.conf import settings

    tasks_scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}

    assert tasks_scheduled == {
        "mentorship.tasks.flush_outbox",
        "mentorship.tasks.expire_requests",
        "mentorship.tasks.remind_mentors",
        "mentorship.tasks.send_manager_digests",
        "mentorship.jobs.send_weekly_summaries",
        "matching.tasks.check_match_runs",
        "journey.jobs.remind_planned_meetings",
        "journey.jobs.nudge_quiet_mentorships",
        "journey.jobs.open_check_ins",
        "journey.jobs.alert_overdue_concerns",
        "monitoring.jobs.outcome_surveys",
        "privacy.tasks.expire_data_exports",
        "privacy.jobs.apply_retention",
    }


def test_every_scheduled_job_is_a_registered_celery_task():
    from django.conf import settings

    from config.celery import app

    app.loader.import_default_modules()
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert scheduled <= set(app.tasks)
