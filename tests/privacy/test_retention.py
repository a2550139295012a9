"""Retention: each kind of record past its period is erased or anonymised, nothing younger
is touched, a second run changes nothing, and two runs never go at once."""

import datetime
import threading

import pytest
from django.core.management import call_command
from django.db import connections
from django.utils import timezone

from journey.models import Concern, Feedback, Meeting
from journey.services import agreements, concerns, endings, meetings
from mentorship import services
from mentorship.models import (
    Action,
    Event,
    MenteeMembership,
    MentorMembership,
    MentorRequest,
    Mentorship,
    OutboxEmail,
)
from privacy import jobs, retention
from privacy.erasure import erase_person
from privacy.models import RetentionRun
from tests.factories import (
    MenteeMembershipFactory,
    MenteeProfileFactory,
    new_mentee,
    new_mentorship,
    new_request,
)

pytestmark = pytest.mark.django_db

NOW = timezone.now()
DAY = datetime.timedelta(days=1)


def days(kind: str) -> datetime.timedelta:
    from django.conf import settings

    return settings.RETENTION_DAYS[kind] * DAY


def run_twice():
    """The first run's counts, after checking the second changes nothing."""
    first = retention.run_retention(NOW)
    second = retention.run_retention(NOW)
    assert first.status == second.status == RetentionRun.Status.FINISHED
    assert second.total == 0, second.counts
    return first.counts


# --- Closed accounts -----------------------------------------------------------------------


def test_a_concern_kept_at_erasure_is_erased_once_closed_for_the_period(
    mentee, mentor, manager, active_mentorship, django_capture_on_commit_callbacks
):
    concern = concerns.raise_concern(
        active_mentorship, by=mentor, kind="behaviour", details="Kept-while-investigated"
    )
    erase_person(mentee, by=mentee, reason="Deleted their own account.")
    concerns.close_concern(concern, by=manager, outcome="Outcome-after-erasure")

    assert run_twice()["closed_accounts"] == 0  # closed today: not yet
    concern.refresh_from_db()
    assert concern.details == "Kept-while-investigated"

    Concern.objects.filter(pk=concern.pk).update(closed_at=NOW - days("closed_accounts") - DAY)
    counts = run_twice()

    concern.refresh_from_db()
    assert (concern.details, concern.outcome) == ("", "")
    assert counts["closed_accounts"] == 2  # the concern, and the outcome in the event log
    assert not Event.objects.filter(note__contains="Outcome-after-erasure").exists()
    assert Concern.objects.count() == 1


def test_a_closed_concern_of_people_still_here_is_not_a_closed_account(
    mentee, mentor, manager, active_mentorship
):
    concern = concerns.raise_concern(
        active_mentorship, by=mentor, kind="behaviour", details="Nobody-left"
    )
    concerns.close_concern(concern, by=manager, outcome="Resolved")
    Concern.objects.filter(pk=concern.pk).update(closed_at=NOW - 1000 * DAY)

    assert run_twice()["closed_accounts"] == 0
    concern.refresh_from_db()
    assert concern.details == "Nobody-left"


# --- Declined applications -------------------------------------------------------------------


def declined_application(programme, *, decided_ago):
    membership = MenteeMembershipFactory(
        programme=programme,
        user=MenteeProfileFactory().user,
        status=MenteeMembership.Status.DECLINED,
        application_note="Application-words",
        intake_notes="Intake-words",
        decision_reason="Reason-words",
    )
    MenteeMembership.objects.filter(pk=membership.pk).update(decided_at=NOW - decided_ago)
    membership.log_action(Action.APPLICATION_DECLINED, note="Reason-words")
    return membership


def test_declined_applications_past_the_period_lose_their_words(other_programme, mentor, programme):
    old = declined_application(other_programme, decided_ago=days("declined_applications") + DAY)
    young = declined_application(other_programme, decided_ago=days("declined_applications") - DAY)
    vetting = MentorMembership.objects.get(user=mentor, programme=programme)
    MentorMembership.objects.filter(pk=vetting.pk).update(
        status=MentorMembership.Status.DECLINED,
        vetting_notes="Vetting-words",
        decided_at=NOW - days("declined_applications") - DAY,
    )

    counts = run_twice()

    old.refresh_from_db()
    young.refresh_from_db()
    assert (old.application_note, old.intake_notes, old.decision_reason) == ("", "", "")
    assert old.status == MenteeMembership.Status.DECLINED  # the row and its outcome stay
    assert young.application_note == "Application-words"
    assert young.events.get().note == "Reason-words"
    assert old.events.get().note == ""
    assert MentorMembership.objects.get(pk=vetting.pk).vetting_notes == ""
    assert counts["declined_applications"] == 3  # two memberships and one event note


def test_requests_that_ended_without_a_match_lose_their_words_after_the_period(
    mentee, mentor, other_mentor, programme
):
    old = new_request(mentee, mentor, programme, message="Old-request-words")
    young = new_request(mentee, other_mentor, programme, message="Young-request-words")
    for mentor_request, ago in ((old, days("declined_applications") + DAY), (young, DAY)):
        services.withdraw_request(mentor_request, by=mentee)
        MentorRequest.objects.filter(pk=mentor_request.pk).update(decided_at=NOW - ago)

    run_twice()

    assert MentorRequest.objects.get(pk=old.pk).message == ""
    assert MentorRequest.objects.get(pk=young.pk).message == "Young-request-words"
    assert not Event.objects.filter(note="Old-request-words").exists()
    assert Event.objects.filter(note="Young-request-words").exists()


# --- Ended mentorships -------------------------------------------------------------------------


def ended_mentorship(mentee, mentor, programme, manager, *, ended_ago):
    mentorship = new_mentorship(mentee, mentor, programme, weeks_ago=20)
    agreements.propose_agreement(mentorship, by=mentee, goals=["Goal-words"], how_we_meet="How")
    meeting = meetings.log_meeting(
        mentorship,
        by=mentee,
        held_on=timezone.localdate() - datetime.timedelta(days=30),
        minutes=50,
        mode="video",
        kind="one_to_one",
        topics="Topic-words",
        notes="Notes-words",
    )
    meetings.confirm_meeting(meeting, by=mentor)
    services.end_mentorship(mentorship, by=manager, completed=True)
    endings.give_feedback(
        mentorship,
        by=mentee,
        function_ratings={"teaching": 3},
        attribute_reflections={},
        what_changed=[],
        would_recommend="yes",
        comment="Feedback-words",
    )
    Mentorship.objects.filter(pk=mentorship.pk).update(ended_on=timezone.localdate() - ended_ago)
    return mentorship


def test_ended_mentorships_past_the_period_keep_their_numbers_not_their_words(
    mentee, mentor, other_mentor, programme, manager
):
    old = ended_mentorship(
        mentee, mentor, programme, manager, ended_ago=days("ended_mentorships") + DAY
    )
    young = ended_mentorship(new_mentee(programme), other_mentor, programme, manager, ended_ago=DAY)

    counts = run_twice()

    meeting = Meeting.objects.get(mentorship=old)
    assert (meeting.topics, meeting.notes, meeting.minutes) == ("", "", 50)
    assert meeting.confirmed_at is not None
    assert Feedback.objects.get(mentorship=old).comment == ""
    assert Feedback.objects.get(mentorship=old).function_ratings == {"teaching": 3}
    assert old.agreed_goals.get().text == "A goal"
    assert Mentorship.objects.get(pk=old.pk).status == Mentorship.Status.COMPLETED
    assert Meeting.objects.get(mentorship=young).notes == "Notes-words"
    assert Feedback.objects.get(mentorship=young).comment == "Feedback-words"
    assert young.agreed_goals.get().text == "Goal-words"
    assert counts["ended_mentorships"] > 0


def test_an_active_mentorship_is_never_touched(active_mentorship, mentee):
    Mentorship.objects.filter(pk=active_mentorship.pk).update(
        started_on=timezone.localdate() - 4000 * DAY
    )
    agreements.propose_agreement(active_mentorship, by=mentee, goals=["Still-going"])

    assert run_twice()["ended_mentorships"] == 0
    assert active_mentorship.agreed_goals.get().text == "Still-going"


# --- Outbox bodies ---------------------------------------------------------------------------


def outbox_row(status, *, age, n):
    row = OutboxEmail.objects.create(
        kind="test",
        object_key=f"test:{n}",
        to_email=f"someone{n}@example.org",
        subject="Subject-words",
        body_text="Body-words",
        body_html="<p>Body-words</p>",
        attachments=[{"filename": "a.ics", "mimetype": "text/calendar", "content": "x"}],
        status=status,
        next_attempt_at=NOW,
    )
    OutboxEmail.objects.filter(pk=row.pk).update(created_at=NOW - age)
    return row.pk


def test_outbox_bodies_past_the_period_are_erased_once_sent_or_given_up(db):
    old = days("outbox_bodies") + DAY
    sent = outbox_row(OutboxEmail.Status.SENT, age=old, n=1)
    failed = outbox_row(OutboxEmail.Status.FAILED, age=old, n=2)
    waiting = outbox_row(OutboxEmail.Status.PENDING, age=old, n=3)
    young = outbox_row(OutboxEmail.Status.SENT, age=DAY, n=4)

    counts = run_twice()

    assert counts["outbox_bodies"] == 2
    for pk in (sent, failed):
        row = OutboxEmail.objects.get(pk=pk)
        assert (row.subject, row.body_text, row.body_html, row.attachments) == ("", "", "", [])
        assert row.to_email and row.status in ("sent", "failed")  # who and whether stay
    for pk in (waiting, young):
        assert OutboxEmail.objects.get(pk=pk).body_text == "Body-words"


# --- Running it --------------------------------------------------------------------------------


def test_a_run_while_another_is_under_way_does_nothing(db):
    row = outbox_row(OutboxEmail.Status.SENT, age=days("outbox_bodies") + DAY, n=1)
    RetentionRun.objects.create()  # another worker's run, still going

    assert retention.run_retention(NOW) is None

    assert OutboxEmail.objects.get(pk=row).body_text == "Body-words"
    assert RetentionRun.objects.count() == 1


def test_a_run_that_died_long_ago_no_longer_blocks(db):
    stuck = RetentionRun.objects.create()
    RetentionRun.objects.filter(pk=stuck.pk).update(started_at=NOW - datetime.timedelta(days=1))

    run = retention.run_retention(NOW)

    assert run is not None and run.status == RetentionRun.Status.FINISHED
    assert RetentionRun.objects.get(pk=stuck.pk).status == RetentionRun.Status.FAILED


def test_the_beat_task_and_the_command_run_it_and_log_the_counts(db, capsys):
    outbox_row(OutboxEmail.Status.SENT, age=days("outbox_bodies") + DAY, n=1)

    assert jobs.apply_retention() == {
        "closed_accounts": 0,
        "declined_applications": 0,
        "ended_mentorships": 0,
        "outbox_bodies": 1,
        "ended_sessions": 0,
    }
    call_command("apply_retention")

    out = capsys.readouterr().out
    assert "outbox_bodies (older than 90 days): 0 records changed" in out
    assert list(RetentionRun.objects.values_list("status", flat=True)) == ["finished"] * 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_one_does_the_work():
    rows = [
        outbox_row(OutboxEmail.Status.SENT, age=days("outbox_bodies") + DAY, n=n) for n in range(20)
    ]
    start = threading.Barrier(2)
    results = []

    def run():
        try:
            start.wait()
            results.append(retention.run_retention())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    done = [r for r in results if r is not None]
    assert len(results) == 2
    assert sum(r.counts["outbox_bodies"] for r in done) == len(rows)
    assert not OutboxEmail.objects.exclude(body_text="").exists()
    assert not RetentionRun.objects.filter(status="running").exists()


def test_expired_sessions_and_where_they_were_signed_in_from_go(mentee, mentor, client):
    from allauth.usersessions.models import UserSession
    from django.contrib.sessions.models import Session

    client.force_login(mentee)
    live_key = client.session.session_key
    UserSession.objects.create(user=mentee, session_key=live_key, ip="10.0.0.1", user_agent="A")
    old = Session.objects.create(
        session_key="x" * 32, session_data="", expire_date=NOW - datetime.timedelta(hours=1)
    )
    UserSession.objects.create(user=mentor, session_key=old.pk, ip="10.0.0.2", user_agent="B")

    assert run_twice()["ended_sessions"] == 2  # the expired session and its record

    assert list(Session.objects.values_list("pk", flat=True)) == [live_key]
    assert list(UserSession.objects.values_list("user", flat=True)) == [mentee.pk]
