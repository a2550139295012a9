"""Each dashboard figure on a small programme built by hand, where every number can be
counted on fingers; another programme's people never count."""

import datetime

import pytest
from django.utils import timezone

from journey.models import CheckIn, Feedback, Meeting
from mentorship import dashboard
from mentorship.dashboard import Period
from mentorship.models import MenteeMembership, MentorProfile, MentorRequest, Mentorship
from tests.factories import (
    MenteeMembershipFactory,
    MentorshipFactory,
    new_mentee,
    new_mentor,
    new_mentorship,
    new_request,
)

pytestmark = pytest.mark.django_db

Status = MenteeMembership.Status


def aware(*args: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(*args))


def accepted_days_ago(user, programme, days: int) -> None:
    MenteeMembership.objects.filter(user=user, programme=programme).update(
        decided_at=timezone.now() - datetime.timedelta(days=days)
    )


def check_in(mentorship, person, point: str, score: int, answered_at, **extra) -> CheckIn:
    return CheckIn.objects.create(
        mentorship=mentorship,
        person=person,
        point=point,
        due_on=answered_at.date(),
        score=score,
        answered_at=answered_at,
        **extra,
    )


def build(programme, manager) -> dict:
    """Six mentees (one applied, one declined, four accepted: one who asked and whose request
    expired, one waiting on an open request, one matched, one completed), three mentors."""
    today = timezone.localdate()
    m1, m2, m3 = (new_mentor(programme, f"Dr Mentor {n}") for n in (1, 2, 3))
    MenteeMembershipFactory(programme=programme, status=Status.APPLIED)
    MenteeMembershipFactory(programme=programme, status=Status.DECLINED)
    b = new_mentee(programme, "Dr B Expired")
    c = new_mentee(programme, "Dr C Waiting")
    d = new_mentee(programme, "Dr D Matched")
    e = new_mentee(programme, "Dr E Completed")

    expired = new_request(b, m3, programme)
    MentorRequest.objects.filter(pk=expired.pk).update(status=MentorRequest.Status.EXPIRED)
    MentorProfile.objects.filter(user=m3).update(
        is_accepting_requests=False, paused_automatically_at=timezone.now()
    )
    new_request(c, m1, programme)

    accepted_days_ago(d, programme, 10)
    active = new_mentorship(d, m2, programme, weeks_ago=3)  # weekly: 3 meetings expected
    # The mentor answered five hours after being asked.
    MentorRequest.objects.filter(pk=active.request_id).update(
        created_at=timezone.now() - datetime.timedelta(hours=5)
    )
    accepted_days_ago(e, programme, 30)
    done = MentorshipFactory(
        programme=programme,
        mentee=e,
        mentor=m1,
        status=Mentorship.Status.COMPLETED,
        started_on=today - datetime.timedelta(weeks=20),
        planned_end_on=today - datetime.timedelta(weeks=4),  # 16 weeks: 16 expected
        ended_on=today - datetime.timedelta(weeks=4),
    )

    Meeting.objects.create(
        mentorship=active, held_on=today, minutes=60, mode="video", kind="one_to_one",
        confirmed_at=timezone.now(),
    )  # fmt: skip
    Meeting.objects.create(
        mentorship=active, held_on=today, minutes=30, mode="video", kind="one_to_one"
    )
    Meeting.objects.create(
        mentorship=done, held_on=done.ended_on, minutes=90, mode="video", kind="one_to_one",
        confirmed_at=timezone.now(),
    )  # fmt: skip

    check_in(done, e, "+14", 2, aware(2026, 10, 5))
    check_in(done, m1, "+14", 4, aware(2026, 10, 20))
    check_in(active, d, "+14", 5, aware(2026, 11, 10))

    Feedback.objects.create(
        mentorship=done,
        person=e,
        function_ratings={"teaching": 4, "coaching": 2, "guiding": None},
        would_recommend="yes",
    )
    Feedback.objects.create(
        mentorship=done, person=m1, function_ratings={"teaching": 3}, would_recommend="maybe"
    )
    return {"b": b, "c": c, "d": d, "e": e, "active": active, "done": done}


def build_elsewhere(other_programme) -> None:
    """A busy other programme: none of it may show."""
    mentor = new_mentor(other_programme, "Dr Elsewhere Mentor")
    for n in range(3):
        mentee = new_mentee(other_programme, f"Dr Elsewhere {n}")
        if n == 0:
            mentorship = new_mentorship(mentee, mentor, other_programme, weeks_ago=5)
            Meeting.objects.create(
                mentorship=mentorship, held_on=timezone.localdate(), minutes=45, mode="video",
                kind="one_to_one", confirmed_at=timezone.now(),
            )  # fmt: skip
            check_in(mentorship, mentee, "+14", 1, aware(2026, 10, 6))
            Feedback.objects.create(
                mentorship=mentorship, person=mentee, function_ratings={"teaching": 0},
                would_recommend="no",
            )  # fmt: skip


@pytest.fixture
def built(programme, manager, other_programme, other_manager):
    people = build(programme, manager)
    build_elsewhere(other_programme)
    return people


def test_the_path_counts_each_step_and_its_conversion(programme, built):
    figs = dashboard.figures([programme.pk])

    assert [(s.stage, s.count, s.conversion) for s in figs.path] == [
        ("applied", 6, None),
        ("accepted", 4, 66.7),
        ("asked", 4, 100.0),
        ("matched", 2, 50.0),
        ("completed", 1, 50.0),
    ]
    assert figs.median_days_to_match == 20  # 10 and 30 days


def test_requests_answers_and_automatic_pauses(programme, built):
    figs = dashboard.figures([programme.pk])

    assert figs.requests_made == 3
    assert figs.requests_answered == 1  # the open one is not answered, the expired one never was
    assert figs.requests_expired == 1
    assert figs.response_rate == 50.0
    assert figs.median_hours_to_respond == 5.0
    assert figs.mentors_paused_automatically == 1
    assert figs.mentors_paused_now == 1


def test_mentorships_and_meetings_against_the_cadence(programme, built):
    figs = dashboard.figures([programme.pk])

    assert figs.active_mentorships == 1
    assert figs.mentorships_started == 2
    assert figs.mentorships_completed == 1
    assert figs.mentorships_ended_early == 0
    assert figs.meetings_logged == 3
    assert figs.meetings_confirmed == 2
    assert figs.confirmed_hours == 2.5
    assert figs.meetings_expected == 3 + 16
    assert figs.meetings_against_cadence == 10.5


def test_an_agreed_cadence_overrides_the_programmes(programme, built):
    from journey.models import Agreement

    Agreement.objects.create(
        mentorship=built["done"],
        cadence="fortnightly",
        duration_weeks=16,
        proposed_at=timezone.now(),
    )

    assert dashboard.figures([programme.pk]).meetings_expected == 3 + 8


def test_check_in_scores_by_month(programme, built):
    figs = dashboard.figures([programme.pk])

    assert [(m.month, m.answers, m.average, m.low) for m in figs.check_ins] == [
        (datetime.date(2026, 10, 1), 2, 3.0, 1),
        (datetime.date(2026, 11, 1), 1, 5.0, 0),
    ]
    assert figs.check_in_average == 3.7


def test_feedback_on_each_mentorship_function(programme, built):
    figs = dashboard.figures([programme.pk])

    by_code = {f.code: f for f in figs.feedback_by_function}
    assert (by_code["teaching"].mentee_average, by_code["teaching"].mentee_answers) == (4.0, 1)
    assert (by_code["teaching"].mentor_average, by_code["teaching"].mentor_answers) == (3.0, 1)
    assert (by_code["coaching"].mentee_average, by_code["coaching"].mentor_answers) == (2.0, 0)
    assert by_code["guiding"].mentee_average is None  # "not applicable" is not a zero
    assert by_code["guiding"].mentee_answers == 0
    assert figs.feedback_given == 2
    assert figs.would_recommend == {"Yes": 1, "Maybe": 1, "No": 0}


def test_the_date_range_limits_each_figure(programme, built):
    b = built["b"]
    MenteeMembership.objects.filter(programme=programme).update(created_at=aware(2026, 9, 1))
    MenteeMembership.objects.filter(programme=programme, user=b).update(
        created_at=aware(2026, 11, 3)
    )
    MentorRequest.objects.filter(programme=programme).update(created_at=aware(2026, 9, 1))
    Meeting.objects.filter(mentorship=built["active"]).update(held_on=datetime.date(2026, 11, 4))
    Meeting.objects.filter(mentorship=built["done"]).update(held_on=datetime.date(2026, 10, 4))
    Feedback.objects.filter(person=built["e"]).update(submitted_at=aware(2026, 11, 5))
    Feedback.objects.exclude(person=built["e"]).update(submitted_at=aware(2026, 9, 5))
    MentorProfile.objects.update(paused_automatically_at=aware(2026, 9, 5))

    figs = dashboard.figures(
        [programme.pk], Period(datetime.date(2026, 11, 1), datetime.date(2026, 11, 30))
    )

    assert [s.count for s in figs.path] == [1, 1, 1, 0, 0]  # only B applied in November
    assert figs.requests_made == 0
    assert figs.response_rate is None
    assert figs.mentors_paused_automatically == 0
    assert figs.meetings_logged == 2
    assert [m.month for m in figs.check_ins] == [datetime.date(2026, 11, 1)]
    assert figs.feedback_given == 1
    assert figs.period.label == "1 November 2026 to 30 November 2026"


def test_the_end_of_the_range_is_included_whole(programme, built):
    figs = dashboard.figures([programme.pk], Period(None, datetime.date(2026, 10, 20)))

    assert [(m.month, m.answers) for m in figs.check_ins] == [(datetime.date(2026, 10, 1), 2)]


def test_several_programmes_add_up(programme, other_programme, built):
    both = dashboard.figures([programme.pk, other_programme.pk])

    assert both.path[0].count == 6 + 3
    assert both.active_mentorships == 2
    assert both.feedback_given == 3


def test_an_empty_programme_has_no_figures_yet(other_programme):
    figs = dashboard.figures([other_programme.pk])

    assert [s.count for s in figs.path] == [0, 0, 0, 0, 0]
    assert figs.path[1].conversion is None
    assert figs.median_days_to_match is None
    assert figs.response_rate is None
    assert figs.median_hours_to_respond is None
    assert figs.meetings_against_cadence is None
    assert figs.check_ins == []
    assert figs.check_in_average is None
