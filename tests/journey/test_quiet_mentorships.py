"""Quiet mentorships are noticed: no confirmed meeting for twice the agreed interval nudges
both people once per quiet spell; still quiet a cadence later, the programme team sees the
mentorship needs attention, and why."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from journey.jobs import nudge_quiet_mentorships as nudge_job
from journey.models import Agreement, Meeting, MeetingKind
from journey.services import meetings as services
from mentorship.models import Action, Mentorship, OutboxEmail
from mentorship.services import end_mentorship
from tests.factories import new_mentee, new_mentor, new_mentorship

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _started(mentorship, days_ago: int) -> Mentorship:
    mentorship.started_on = TODAY - datetime.timedelta(days=days_ago)
    mentorship.planned_end_on = mentorship.started_on + datetime.timedelta(weeks=16)
    mentorship.save(update_fields=["started_on", "planned_end_on"])
    return mentorship


def _meeting(mentorship, held_on, *, confirmed=True):
    return Meeting.objects.create(
        mentorship=mentorship,
        held_on=held_on,
        minutes=60,
        mode="video",
        kind=MeetingKind.ONE_TO_ONE,
        logged_by=mentorship.mentee,
        confirmed_by=mentorship.mentor if confirmed else None,
        confirmed_at=timezone.now() if confirmed else None,
    )


def _nudges():
    return OutboxEmail.objects.filter(kind="quiet_nudge")


def _signed_in(user) -> Client:
    browser = Client()
    browser.force_login(user)
    return browser


# --- The nudge --------------------------------------------------------------------------


def test_two_weeks_without_a_confirmed_meeting_at_a_weekly_cadence_nudges_both_once(
    active_mentorship, mentee, mentor
):
    _started(active_mentorship, days_ago=14)

    assert services.nudge_quiet_mentorships() == 1
    assert services.nudge_quiet_mentorships() == 0
    assert nudge_job() == 0  # beat's task, run a third time

    assert sorted(_nudges().values_list("to_email", flat=True)) == sorted(
        [mentee.email, mentor.email]
    )
    assert active_mentorship.events.filter(action=Action.NUDGED_QUIET).count() == 1
    email = _nudges().get(to_email=mentee.email)
    assert "no meeting has been confirmed yet" in email.body_text
    assert "#meetings" in email.body_html


def test_no_nudge_before_twice_the_interval(active_mentorship):
    _started(active_mentorship, days_ago=13)
    assert services.nudge_quiet_mentorships() == 0
    assert not _nudges().exists()


def test_a_confirmed_meeting_ends_the_quiet_spell_and_a_new_spell_gets_a_new_nudge(
    active_mentorship,
):
    _started(active_mentorship, days_ago=40)
    _meeting(active_mentorship, TODAY - datetime.timedelta(days=3))
    assert services.nudge_quiet_mentorships() == 0

    # Fourteen days after the last confirmed meeting: nudged about that spell.
    later = TODAY + datetime.timedelta(days=11)
    assert services.nudge_quiet_mentorships(today=later) == 1
    assert services.nudge_quiet_mentorships(today=later) == 0
    assert _nudges().count() == 2

    _meeting(active_mentorship, later)
    assert services.nudge_quiet_mentorships(today=later + datetime.timedelta(days=14)) == 1
    assert _nudges().count() == 4


def test_an_unconfirmed_meeting_does_not_end_the_quiet_spell(active_mentorship):
    _started(active_mentorship, days_ago=20)
    _meeting(active_mentorship, TODAY - datetime.timedelta(days=1), confirmed=False)
    assert services.nudge_quiet_mentorships() == 1


def test_a_paused_mentorship_is_not_nudged(active_mentorship):
    _started(active_mentorship, days_ago=30)
    active_mentorship.paused_until = TODAY + datetime.timedelta(days=7)
    active_mentorship.save(update_fields=["paused_until"])
    assert services.nudge_quiet_mentorships() == 0
    assert not _nudges().exists()


def test_an_ended_mentorship_is_not_nudged(active_mentorship, mentee):
    _started(active_mentorship, days_ago=30)
    end_mentorship(active_mentorship, by=mentee, completed=False, reason="Moved away")
    assert services.nudge_quiet_mentorships() == 0
    assert not _nudges().exists()


def test_the_agreed_cadence_sets_the_interval(active_mentorship, mentee):
    # The programme meets weekly; this pair agreed monthly: 4 weeks is not yet quiet.
    _started(active_mentorship, days_ago=28)
    Agreement.objects.create(
        mentorship=active_mentorship,
        cadence="monthly",
        duration_weeks=16,
        proposed_by=mentee,
        proposed_at=timezone.now(),
    )
    assert services.nudge_quiet_mentorships() == 0
    assert services.nudge_quiet_mentorships(today=TODAY + datetime.timedelta(days=28)) == 1


# --- Needs attention --------------------------------------------------------------------


def test_needs_attention_a_cadence_after_the_nudge_with_the_reason(active_mentorship, programme):
    active_mentorship.started_on = datetime.date(2025, 10, 1)
    active_mentorship.planned_end_on = datetime.date(2026, 1, 21)
    active_mentorship.save(update_fields=["started_on", "planned_end_on"])
    _meeting(active_mentorship, datetime.date(2025, 11, 3))

    # Two weeks after: nudged, not yet needing attention; three weeks after: it does.
    assert services.needs_attention(programme, today=datetime.date(2025, 11, 17)) == []
    found = services.needs_attention(programme, today=datetime.date(2025, 11, 24))
    assert [(item.mentorship, item.reason) for item in found] == [
        (active_mentorship, "No confirmed meeting since 3 November (agreed: weekly)")
    ]


def test_needs_attention_says_when_there_has_been_no_meeting_at_all(active_mentorship, programme):
    _started(active_mentorship, days_ago=21)
    [item] = services.needs_attention(programme)
    start = active_mentorship.started_on
    assert item.reason == (
        f"No confirmed meeting since it started on {start.day} {start:%B} (agreed: weekly)"
    )


def test_needs_attention_leaves_out_other_programmes_and_paused_and_ended_ones(
    active_mentorship, programme, other_programme, other_manager
):
    _started(active_mentorship, days_ago=60)
    paused = _started(new_mentorship(new_mentee(programme), new_mentor(programme), programme), 60)
    paused.paused_until = TODAY
    paused.save(update_fields=["paused_until"])
    ended = _started(new_mentorship(new_mentee(programme), new_mentor(programme), programme), 60)
    end_mentorship(ended, by=ended.mentee, completed=True)
    elsewhere = new_mentorship(
        new_mentee(other_programme), new_mentor(other_programme), other_programme
    )
    _started(elsewhere, 60)

    assert [item.mentorship for item in services.needs_attention(programme)] == [active_mentorship]


def test_the_programme_team_sees_needs_attention_on_the_mentorship_page_and_the_two_do_not(
    active_mentorship, mentee, manager_client
):
    _started(active_mentorship, days_ago=21)
    page = reverse("mentorship:mentorship_detail", args=[active_mentorship.pk])
    html = manager_client.get(page).content.decode()
    assert "Needs attention" in html
    assert "No confirmed meeting since it started on" in html
    assert "Needs attention" not in _signed_in(mentee).get(page).content.decode()


def test_the_programmes_manage_page_lists_the_ones_that_need_attention(
    active_mentorship, programme, manager_client
):
    page = reverse("manage:programme", args=[programme.slug])
    _started(active_mentorship, days_ago=7)
    assert "Needs attention" not in manager_client.get(page).content.decode()
    _started(active_mentorship, days_ago=21)
    html = manager_client.get(page).content.decode()
    assert "Needs attention" in html
    assert reverse("mentorship:mentorship_detail", args=[active_mentorship.pk]) in html
