"""The home pages say what each person has to do next in their mentorships."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from journey.due import due_for, next_meetings
from journey.models import Agreement, CheckIn, Feedback, Meeting, MeetingKind, PlannedMeeting
from mentorship.models import Mentorship
from tests.factories import new_mentee, new_mentorship

pytestmark = pytest.mark.django_db


def texts(user):
    return [due.text for due in due_for(user)]


def _agreement(mentorship, *, by, mentee_confirmed, mentor_confirmed):
    now = timezone.now()
    return Agreement.objects.create(
        mentorship=mentorship,
        cadence="weekly",
        duration_weeks=16,
        proposed_by=by,
        proposed_at=now,
        mentee_confirmed_at=now if mentee_confirmed else None,
        mentor_confirmed_at=now if mentor_confirmed else None,
    )


def test_a_new_mentorship_asks_both_to_agree_how_they_will_work(active_mentorship, mentee, mentor):
    assert texts(mentee) == [f"Agree with {mentor.full_name} how you will work together"]
    assert texts(mentor) == [f"Agree with {mentee.full_name} how you will work together"]


def test_only_the_person_who_has_not_confirmed_the_agreement_is_asked(
    active_mentorship, mentee, mentor
):
    _agreement(active_mentorship, by=mentor, mentee_confirmed=False, mentor_confirmed=True)
    assert texts(mentee) == [f"Confirm the mentoring agreement {mentor.full_name} proposed"]
    assert texts(mentor) == []


def test_a_meeting_the_other_logged_is_to_confirm_and_disappears_once_confirmed(
    active_mentorship, mentee, mentor
):
    _agreement(active_mentorship, by=mentor, mentee_confirmed=True, mentor_confirmed=True)
    day = datetime.date(2026, 11, 24)  # a Tuesday
    meeting = Meeting.objects.create(
        mentorship=active_mentorship,
        held_on=day,
        minutes=60,
        mode="video",
        kind=MeetingKind.ONE_TO_ONE,
        logged_by=mentor,
    )
    assert texts(mentee) == [
        f"Confirm the meeting on Tuesday 24 November that {mentor.full_name} logged"
    ]
    assert texts(mentor) == []
    meeting.confirmed_at, meeting.confirmed_by = timezone.now(), mentee
    meeting.save()
    assert texts(mentee) == []


def test_an_open_check_in_is_due_only_for_its_person_and_only_from_its_day(
    active_mentorship, mentee, mentor
):
    _agreement(active_mentorship, by=mentor, mentee_confirmed=True, mentor_confirmed=True)
    today = timezone.localdate()
    CheckIn.objects.create(mentorship=active_mentorship, person=mentee, point="+14", due_on=today)
    CheckIn.objects.create(
        mentorship=active_mentorship,
        person=mentor,
        point="half",
        due_on=today + datetime.timedelta(days=3),
    )
    assert texts(mentee) == ["Your check-in is due"]
    assert texts(mentor) == []


def test_a_planned_meeting_that_has_passed_without_a_log_asks_to_log_it(
    active_mentorship, mentee, mentor
):
    _agreement(active_mentorship, by=mentor, mentee_confirmed=True, mentor_confirmed=True)
    starts = timezone.now() - datetime.timedelta(days=2)
    PlannedMeeting.objects.create(
        mentorship=active_mentorship, starts_at=starts, minutes=60, mode="video", set_by=mentee
    )
    weekday = timezone.localtime(starts).strftime("%A")
    assert texts(mentor) == [f"Log {weekday}'s meeting"]
    Meeting.objects.create(
        mentorship=active_mentorship,
        held_on=timezone.localtime(starts).date(),
        minutes=60,
        mode="video",
        kind=MeetingKind.ONE_TO_ONE,
        logged_by=mentor,
    )
    assert texts(mentor) == []


def test_the_next_meeting_is_shown_and_a_cancelled_one_is_not(active_mentorship, mentee):
    soon = PlannedMeeting.objects.create(
        mentorship=active_mentorship,
        starts_at=timezone.now() + datetime.timedelta(days=1),
        minutes=45,
        mode="in_person",
        set_by=mentee,
    )
    assert next_meetings(mentee) == [soon]
    soon.cancelled_at = timezone.now()
    soon.save()
    assert next_meetings(mentee) == []


def test_an_ended_mentorship_asks_for_feedback_until_it_is_given(active_mentorship, mentee, mentor):
    Mentorship.objects.filter(pk=active_mentorship.pk).update(
        status=Mentorship.Status.COMPLETED, ended_on=timezone.localdate()
    )
    assert texts(mentee) == [f"Give feedback on your mentorship with {mentor.full_name}"]
    Feedback.objects.create(mentorship=active_mentorship, person=mentee, would_recommend="yes")
    assert texts(mentee) == []
    assert texts(mentor) == [f"Give feedback on your mentorship with {mentee.full_name}"]


def test_nobody_is_told_about_other_peoples_mentorships(active_mentorship, outsider, other_mentor):
    assert due_for(outsider) == [] and due_for(other_mentor) == []


def test_the_mentor_home_lists_what_is_due_with_the_mentees_name(
    active_mentorship, mentor_client, mentee
):
    page = mentor_client.get(reverse("mentorship:mentor_home")).content.decode()
    assert "What to do next" in page
    assert "how you will work together" in page


def test_the_mentee_home_lists_what_is_due(active_mentorship, mentee_client, mentor):
    page = mentee_client.get(reverse("mentorship:mentee_home")).content.decode()
    assert "What to do next" in page
    assert (
        reverse("mentorship:mentorship_detail", args=[active_mentorship.pk]) + "#agreement" in page
    )


def test_working_out_what_is_due_costs_the_same_for_one_mentee_or_three(
    programme, mentor, mentee, manager
):
    new_mentorship(mentee, mentor, programme)
    with CaptureQueriesContext(connection) as one:
        due_for(mentor)
    mentor.mentor_profile.capacity = 5
    mentor.mentor_profile.save()
    for _ in range(2):
        new_mentorship(new_mentee(programme), mentor, programme)
    with CaptureQueriesContext(connection) as three:
        assert len(due_for(mentor)) == 3
    assert len(three.captured_queries) == len(one.captured_queries)
