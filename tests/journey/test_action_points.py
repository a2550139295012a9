"""Action points: either person adds one for one of the two, with a due date and perhaps a
goal (on its own or with a meeting), and marks it done. Only the two people see them."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from journey.models import ActionPoint, AgreedGoal, Meeting, MeetingKind, MeetingMode
from journey.services import meetings as services
from mentorship.models import Action
from mentorship.services.errors import InvalidTransition, NotAllowed
from tests.factories import new_mentee, new_mentor, new_mentorship

pytestmark = pytest.mark.django_db


def _signed_in(user) -> Client:
    browser = Client()
    browser.force_login(user)
    return browser


def _page(mentorship):
    return reverse("mentorship:mentorship_detail", args=[mentorship.pk])


def _goal(mentorship, text="Apply for GP training"):
    return AgreedGoal.objects.create(mentorship=mentorship, text=text)


def test_the_mentor_adds_an_action_point_for_the_mentee_towards_a_goal(
    active_mentorship, mentee, mentor
):
    goal = _goal(active_mentorship)
    due = timezone.localdate() + datetime.timedelta(days=14)
    point = services.add_action_point(
        active_mentorship,
        by=mentor,
        text="  Draft the  application statement ",
        owner=mentee,
        due_on=due,
        goal=goal,
    )
    point.refresh_from_db()
    assert (point.text, point.owner, point.due_on, point.goal) == (
        "Draft the application statement",
        mentee,
        due,
        goal,
    )
    assert (point.created_by, point.done_at, point.meeting) == (mentor, None, None)
    event = active_mentorship.events.get(action=Action.ACTION_POINT_ADDED)
    assert event.actor == mentor
    assert "application" not in event.note  # the wording is the two people's


def test_an_action_point_belongs_to_the_mentee_or_the_mentor(active_mentorship, mentee, manager):
    with pytest.raises(InvalidTransition):
        services.add_action_point(active_mentorship, by=mentee, text="Do it", owner=manager)
    assert not ActionPoint.objects.exists()


def test_a_goal_from_another_mentorship_is_refused(active_mentorship, mentee, programme):
    other = new_mentorship(new_mentee(programme), new_mentor(programme), programme)
    with pytest.raises(InvalidTransition):
        services.add_action_point(
            active_mentorship, by=mentee, text="Do it", owner=mentee, goal=_goal(other)
        )
    assert not ActionPoint.objects.exists()


def test_a_manager_cannot_add_an_action_point(active_mentorship, mentee, manager):
    with pytest.raises(NotAllowed):
        services.add_action_point(active_mentorship, by=manager, text="Do it", owner=mentee)


def test_marking_done_happens_once(active_mentorship, mentee, mentor):
    point = services.add_action_point(active_mentorship, by=mentee, text="Read", owner=mentee)
    services.mark_action_point_done(point, by=mentor)
    point.refresh_from_db()
    done_at = point.done_at
    assert done_at is not None
    with pytest.raises(InvalidTransition):
        services.mark_action_point_done(point, by=mentee)
    point.refresh_from_db()
    assert point.done_at == done_at
    assert active_mentorship.events.filter(action=Action.ACTION_POINT_DONE).count() == 1


def test_nothing_is_added_once_the_mentorship_has_ended(active_mentorship, mentee):
    from mentorship.services import end_mentorship

    end_mentorship(active_mentorship, by=mentee, completed=False, reason="Moved away")
    with pytest.raises(InvalidTransition):
        services.add_action_point(active_mentorship, by=mentee, text="Read", owner=mentee)


def test_a_meeting_is_logged_with_up_to_three_action_points(active_mentorship, mentee, mentor):
    goal = _goal(active_mentorship)
    due = timezone.localdate() + datetime.timedelta(days=7)
    response = _signed_in(mentee).post(
        reverse("journey:log_meeting", args=[active_mentorship.pk]),
        {
            "held_on": timezone.localdate().isoformat(),
            "minutes": "60",
            "mode": MeetingMode.IN_PERSON,
            "kind": MeetingKind.BOARD,
            "action_1_text": "Ask the PCN board for the minutes",
            "action_1_owner": str(mentor.pk),
            "action_1_due_on": due.isoformat(),
            "action_2_text": "Read the GP curriculum",
            "action_2_owner": str(mentee.pk),
            "action_2_goal": str(goal.pk),
            "action_3_text": "",
        },
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    points = list(ActionPoint.objects.order_by("pk"))
    assert [(p.text, p.owner, p.due_on, p.goal, p.meeting) for p in points] == [
        ("Ask the PCN board for the minutes", mentor, due, None, meeting),
        ("Read the GP curriculum", mentee, None, goal, meeting),
    ]


def test_an_action_point_without_an_owner_is_a_form_error_and_nothing_is_saved(
    active_mentorship, mentee
):
    response = _signed_in(mentee).post(
        reverse("journey:log_meeting", args=[active_mentorship.pk]),
        {
            "held_on": timezone.localdate().isoformat(),
            "minutes": "60",
            "mode": MeetingMode.VIDEO,
            "kind": MeetingKind.ONE_TO_ONE,
            "action_1_text": "Read the GP curriculum",
        },
    )
    assert response.status_code == 400
    assert "Choose who will do it" in response.content.decode()
    assert not Meeting.objects.exists()
    assert not ActionPoint.objects.exists()


def test_the_page_adds_an_action_point_and_marks_it_done(active_mentorship, mentee, mentor):
    browser = _signed_in(mentor)
    response = browser.post(
        reverse("journey:add_action_point", args=[active_mentorship.pk]),
        {"text": "Shadow a home visit", "owner": str(mentee.pk)},
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#action-points")
    point = ActionPoint.objects.get()
    assert (point.text, point.owner, point.created_by) == ("Shadow a home visit", mentee, mentor)

    done_url = reverse("journey:action_point_done", args=[active_mentorship.pk, point.pk])
    assert done_url in _signed_in(mentee).get(_page(active_mentorship)).content.decode()
    assert _signed_in(mentee).post(done_url).status_code == 302
    point.refresh_from_db()
    assert point.done_at is not None


def test_the_add_page_asks_what_and_who(active_mentorship, mentee):
    response = _signed_in(mentee).post(
        reverse("journey:add_action_point", args=[active_mentorship.pk]), {}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Say what will be done" in html and "Choose who will do it" in html
    assert not ActionPoint.objects.exists()


def test_managers_and_outsiders_cannot_see_or_change_action_points(
    active_mentorship, mentee, outsider, manager_client
):
    point = services.add_action_point(
        active_mentorship, by=mentee, text="Private plan for my exams", owner=mentee
    )
    assert (
        "Private plan for my exams"
        not in manager_client.get(_page(active_mentorship)).content.decode()
    )
    done_url = reverse("journey:action_point_done", args=[active_mentorship.pk, point.pk])
    add_url = reverse("journey:add_action_point", args=[active_mentorship.pk])
    for browser in (manager_client, _signed_in(outsider)):
        assert browser.post(done_url).status_code == 404
        assert browser.get(add_url).status_code == 404
    point.refresh_from_db()
    assert point.done_at is None


def test_an_overdue_action_point_is_tagged(active_mentorship, mentee):
    services.add_action_point(
        active_mentorship,
        by=mentee,
        text="Book the exam",
        owner=mentee,
        due_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    html = _signed_in(mentee).get(_page(active_mentorship)).content.decode()
    assert "Overdue" in html
