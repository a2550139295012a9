"""Needs attention: each kind appears with its reason and leaves the list once it is dealt
with; another programme's rows never appear; the list costs the same queries at any size."""

from __future__ import annotations

import datetime

import pytest
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from journey.models import CheckIn
from journey.services import concerns
from journey.services.checkins import answer_check_in
from mentorship import services
from mentorship.attention import (
    APPROVAL_WAITING_DAYS,
    OVER_ASKED_MIN_WAITING,
    REQUEST_WAITING_DAYS,
    UNMATCHED_AFTER_DAYS,
    Kind,
    rows_for,
    rows_for_programme,
)
from mentorship.models import MenteeMembership, MentorProfile, MentorRequest, Mentorship
from tests.factories import new_accepted_request, new_mentee, new_mentor, new_mentorship

pytestmark = pytest.mark.django_db

NOW = timezone.now()
TODAY = timezone.localdate()


def kinds(programme, kind: str) -> list:
    return [row for row in rows_for_programme(programme) if row.kind == kind]


def days_ago(n: int) -> datetime.datetime:
    return NOW - datetime.timedelta(days=n)


def accepted_days_ago(membership_user, programme, n: int) -> MenteeMembership:
    MenteeMembership.objects.filter(user=membership_user, programme=programme).update(
        decided_at=days_ago(n), created_at=days_ago(n + 5)
    )
    return MenteeMembership.objects.get(user=membership_user, programme=programme)


def make_request_older(mentor_request: MentorRequest, days: int) -> None:
    MentorRequest.objects.filter(pk=mentor_request.pk).update(
        created_at=F("created_at") - datetime.timedelta(days=days),
        updated_at=F("updated_at") - datetime.timedelta(days=days),
    )


def started_days_ago(mentorship: Mentorship, n: int) -> Mentorship:
    mentorship.started_on = TODAY - datetime.timedelta(days=n)
    mentorship.planned_end_on = mentorship.started_on + datetime.timedelta(weeks=16)
    mentorship.save(update_fields=["started_on", "planned_end_on"])
    return mentorship


# --- Mentees waiting for a mentor ---------------------------------------------------------


def test_a_mentee_accepted_long_ago_without_a_mentor_needs_attention(programme, mentee, mentor):
    membership = accepted_days_ago(mentee, programme, UNMATCHED_AFTER_DAYS + 9)

    [row] = kinds(programme, Kind.UNMATCHED)

    assert row.who == "Dr Amara Nwosu"
    assert row.reason == "Accepted 30 days ago and still without a mentor; no open requests"
    assert row.link == reverse("manage:mentee", args=[programme.slug, membership.pk])


def test_a_mentee_accepted_recently_does_not_need_attention_yet(programme, mentee):
    accepted_days_ago(mentee, programme, UNMATCHED_AFTER_DAYS - 1)
    assert kinds(programme, Kind.UNMATCHED) == []


def test_the_waiting_mentee_leaves_the_list_once_matched(programme, mentee, mentor, manager):
    accepted_days_ago(mentee, programme, 40)
    services.request_mentor(mentee, mentor, programme)
    [row] = kinds(programme, Kind.UNMATCHED)
    assert row.reason.endswith("; 1 request open")

    new_mentorship_from_open_request(mentee, mentor, manager)

    assert kinds(programme, Kind.UNMATCHED) == []


def new_mentorship_from_open_request(mentee, mentor, manager) -> None:
    mentor_request = MentorRequest.objects.get(mentee=mentee, mentor=mentor)
    services.accept_request(mentor_request, by=mentor)
    services.approve_request(mentor_request, by=manager)


# --- Requests waiting too long ------------------------------------------------------------


def test_a_request_waiting_a_week_for_the_mentor_needs_attention_until_answered(
    programme, pending_request, mentor, mentee
):
    make_request_older(pending_request, REQUEST_WAITING_DAYS - 1)
    assert kinds(programme, Kind.REQUEST) == []

    make_request_older(pending_request, 1)
    [row] = kinds(programme, Kind.REQUEST)
    assert row.who == "Dr Amara Nwosu asked Dr Gareth Pryce"
    assert row.reason.startswith(f"Waiting {REQUEST_WAITING_DAYS} days for the mentor's answer")
    assert "; expires on " in row.reason
    membership = mentor.mentor_memberships.get(programme=programme)
    assert row.link == reverse("manage:mentor", args=[programme.slug, membership.pk])

    services.decline_request(pending_request, by=mentor, reason="no_time")

    assert kinds(programme, Kind.REQUEST) == []


def test_a_request_with_a_question_unanswered_says_the_mentee_owes_the_answer(
    programme, pending_request, mentor, mentee
):
    services.ask_for_more_info(pending_request, by=mentor, question="Which region?")
    make_request_older(pending_request, REQUEST_WAITING_DAYS)

    [row] = kinds(programme, Kind.REQUEST)
    assert row.reason.startswith(
        f"Asked {REQUEST_WAITING_DAYS} days ago; the mentor is waiting for the answer"
    )
    assert "Which region?" not in row.reason


def test_a_request_past_half_its_time_to_expiry_needs_attention_sooner(programme, pending_request):
    # A programme whose requests expire after 4 days: half-way is day 2, before the week.
    MentorRequest.objects.filter(pk=pending_request.pk).update(
        created_at=days_ago(2) - datetime.timedelta(minutes=1),
        expires_at=days_ago(2) + (datetime.timedelta(days=4)),
    )
    [row] = kinds(programme, Kind.REQUEST)
    assert row.reason.startswith("Waiting 2 days for the mentor's answer")


def test_an_accepted_request_waiting_for_approval_needs_attention_until_approved(
    programme, accepted_request, manager
):
    make_request_older(accepted_request, APPROVAL_WAITING_DAYS)

    [row] = kinds(programme, Kind.REQUEST)
    assert row.reason == (
        f"Accepted by the mentor {APPROVAL_WAITING_DAYS} days ago and waiting for a manager's "
        "approval"
    )
    assert row.link == reverse("manage:approvals", args=[programme.slug])

    services.approve_request(accepted_request, by=manager)

    assert kinds(programme, Kind.REQUEST) == []


# --- Quiet mentorships: the journey's rule ------------------------------------------------


def test_a_quiet_mentorship_needs_attention_with_the_journeys_reason(programme, active_mentorship):
    started_days_ago(active_mentorship, 21)

    [row] = kinds(programme, Kind.QUIET)

    assert row.who == "Dr Amara Nwosu and Dr Gareth Pryce"
    assert row.reason.startswith("No confirmed meeting since it started on")
    assert row.mentorship_id == active_mentorship.pk
    assert row.link.endswith("#meetings")

    services.end_mentorship(active_mentorship, by=active_mentorship.mentee, completed=True)
    assert kinds(programme, Kind.QUIET) == []


# --- Check-ins ----------------------------------------------------------------------------


def check_in(mentorship, person, point="+14") -> CheckIn:
    return CheckIn.objects.create(mentorship=mentorship, person=person, point=point, due_on=TODAY)


def answer(c: CheckIn, score: int, not_a_good_fit: bool = False) -> CheckIn:
    return answer_check_in(
        c, by=c.person, score=score, meeting_as_agreed="mostly", not_a_good_fit=not_a_good_fit
    )


def test_a_low_check_in_needs_attention_until_a_better_one_follows(
    programme, active_mentorship, mentee
):
    answer(check_in(active_mentorship, mentee), score=2, not_a_good_fit=True)

    [row] = kinds(programme, Kind.CHECK_IN)
    assert row.reason.startswith("Dr Amara Nwosu says it is not a good fit and scored 2 out of 5")
    assert row.link == reverse("journey:check_in_answers", args=[active_mentorship.pk])

    answer(check_in(active_mentorship, mentee, point="half"), score=4)

    assert kinds(programme, Kind.CHECK_IN) == []


def test_a_good_check_in_never_needs_attention(programme, active_mentorship, mentee):
    answer(check_in(active_mentorship, mentee), score=3)
    assert kinds(programme, Kind.CHECK_IN) == []


def test_a_low_check_in_leaves_the_list_when_the_mentorship_ends(
    programme, active_mentorship, mentor, manager
):
    answer(check_in(active_mentorship, mentor), score=1)
    assert len(kinds(programme, Kind.CHECK_IN)) == 1

    services.end_mentorship(active_mentorship, by=manager, completed=False, reason="Re-pairing")

    assert kinds(programme, Kind.CHECK_IN) == []


# --- Concerns -----------------------------------------------------------------------------


def test_a_concern_needs_attention_until_acknowledged_and_says_when_overdue(
    programme, active_mentorship, mentee, manager
):
    concern = concerns.raise_concern(
        active_mentorship, by=mentee, kind="wellbeing", details="A private worry."
    )
    [row] = kinds(programme, Kind.CONCERN)
    assert "A concern (wellbeing) raised on" in row.reason
    assert "to be acknowledged by" in row.reason
    assert "A private worry." not in row.reason
    assert row.link == reverse("journey:concern_detail", args=[active_mentorship.pk, concern.pk])

    type(concern).objects.filter(pk=concern.pk).update(acknowledge_by=days_ago(1))
    [row] = kinds(programme, Kind.CONCERN)
    assert "overdue since" in row.reason

    concerns.acknowledge_concern(concern, by=manager)

    assert kinds(programme, Kind.CONCERN) == []


# --- Mentors over-asked -------------------------------------------------------------------


def test_a_mentor_with_many_requests_and_few_places_is_over_asked_until_they_answer(
    programme, mentor
):
    MentorProfile.objects.filter(user=mentor).update(capacity=1)
    asks = [
        services.request_mentor(new_mentee(programme), mentor, programme)
        for _ in range(OVER_ASKED_MIN_WAITING)
    ]

    [row] = kinds(programme, Kind.OVER_ASKED)
    assert row.who == "Dr Gareth Pryce"
    assert row.reason == "3 requests waiting for an answer and 1 free place"
    membership = mentor.mentor_memberships.get(programme=programme)
    assert row.link == reverse("manage:mentor", args=[programme.slug, membership.pk])

    services.decline_request(asks[0], by=mentor, reason="no_time")

    assert kinds(programme, Kind.OVER_ASKED) == []


def test_a_mentor_who_declined_many_lately_is_over_asked(programme, mentor):
    MentorProfile.objects.filter(user=mentor).update(capacity=5)
    for _ in range(3):
        ask = services.request_mentor(new_mentee(programme), mentor, programme)
        services.decline_request(ask, by=mentor, reason="no_time")

    [row] = kinds(programme, Kind.OVER_ASKED)
    assert row.reason == "3 requests declined or expired in the last 4 weeks"

    MentorRequest.objects.update(updated_at=days_ago(40))
    assert kinds(programme, Kind.OVER_ASKED) == []


# --- Scope and cost -----------------------------------------------------------------------


def everything_needing_attention(programme, n: int = 1) -> None:
    """n of each kind in `programme`."""
    for _ in range(n):
        mentee = new_mentee(programme)
        accepted_days_ago(mentee, programme, 40)
        mentor = new_mentor(programme, capacity=1)
        for _ in range(OVER_ASKED_MIN_WAITING):
            ask = services.request_mentor(new_mentee(programme), mentor, programme)
            make_request_older(ask, REQUEST_WAITING_DAYS)
        pair = started_days_ago(
            new_mentorship(new_mentee(programme), new_mentor(programme), programme), 30
        )
        answer(check_in(pair, pair.mentee), score=1)
        concerns.raise_concern(pair, by=pair.mentor, kind="other", details="Private.")
        new_accepted_request(new_mentee(programme), new_mentor(programme), programme)
        MentorRequest.objects.filter(status=MentorRequest.Status.ACCEPTED).update(
            updated_at=days_ago(5)
        )


def test_another_programmes_rows_never_appear(programme, other_programme, other_manager):
    everything_needing_attention(other_programme)

    assert rows_for_programme(programme) == []
    assert {row.kind for row in rows_for_programme(other_programme)} == set(Kind.values)
    assert {row.programme for row in rows_for([programme, other_programme])} == {other_programme}


def test_the_list_takes_the_same_queries_at_two_sizes(
    programme, other_programme, manager, other_manager, django_assert_num_queries
):
    everything_needing_attention(programme, 1)
    with django_assert_num_queries(len(Kind.values)):
        small = rows_for([programme, other_programme])

    everything_needing_attention(programme, 3)
    everything_needing_attention(other_programme, 2)
    with django_assert_num_queries(len(Kind.values)):
        large = rows_for([programme, other_programme])

    assert len(large) > len(small) >= len(Kind.values)
