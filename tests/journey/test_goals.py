"""Agreed goals with progress: either person records a status and a short reflection while
the mentorship is active; the goals' wording and reflections are the two people's only."""

import pytest
from django.urls import reverse

from journey.models import AgreedGoal
from journey.services.agreements import propose_agreement, update_goal
from mentorship import services as mentorship_services
from mentorship.models import Action
from mentorship.services.errors import InvalidTransition, NotAllowed
from tests.factories import new_mentee, new_mentor, new_mentorship

pytestmark = pytest.mark.django_db

GOALS = ["Decide whether General Practice is for me", "Lead the PCN change project"]


@pytest.fixture
def agreed_goal(active_mentorship, mentee):
    propose_agreement(active_mentorship, by=mentee, goals=GOALS)
    return AgreedGoal.objects.get(text=GOALS[0])


def goal_url(goal):
    return reverse("journey:goal_progress", args=[goal.mentorship_id, goal.pk])


@pytest.mark.parametrize("person", ["mentee", "mentor"])
def test_either_person_records_a_status_and_a_reflection(person, request, agreed_goal):
    user = request.getfixturevalue(person)

    update_goal(agreed_goal, by=user, status="achieved", reflection="  Applied for GP training. ")

    agreed_goal.refresh_from_db()
    assert (agreed_goal.status, agreed_goal.reflection) == ("achieved", "Applied for GP training.")
    [event] = agreed_goal.mentorship.events.filter(action=Action.GOAL_UPDATED)
    assert event.actor == user
    assert event.note == "A goal is now achieved"  # no wording or reflection in the log


def test_every_status_the_issue_names_is_allowed(agreed_goal, mentee):
    for status in ("not_started", "in_progress", "achieved", "changed"):
        update_goal(agreed_goal, by=mentee, status=status)
        agreed_goal.refresh_from_db()
        assert agreed_goal.status == status


def test_an_unknown_status_is_refused(agreed_goal, mentee):
    with pytest.raises(InvalidTransition):
        update_goal(agreed_goal, by=mentee, status="abandoned", reflection="Gone")
    agreed_goal.refresh_from_db()
    assert (agreed_goal.status, agreed_goal.reflection) == ("not_started", "")


@pytest.mark.parametrize("role", ["manager", "outsider", "other_mentor"])
def test_only_the_two_people_update_goals(role, request, agreed_goal):
    with pytest.raises(NotAllowed):
        update_goal(agreed_goal, by=request.getfixturevalue(role), status="achieved")
    agreed_goal.refresh_from_db()
    assert agreed_goal.status == "not_started"


def test_goals_of_an_ended_mentorship_cannot_change(agreed_goal, mentee, mentor):
    mentorship_services.end_mentorship(agreed_goal.mentorship, by=mentor, completed=True)
    with pytest.raises(InvalidTransition):
        update_goal(agreed_goal, by=mentee, status="achieved")
    agreed_goal.refresh_from_db()
    assert agreed_goal.status == "not_started"


# --- Pages ------------------------------------------------------------------------------------


def test_the_goal_page_saves_progress_and_returns_to_the_goals(agreed_goal, mentor_client):
    page = mentor_client.get(goal_url(agreed_goal))
    assert page.status_code == 200
    assert GOALS[0] in page.content.decode()

    response = mentor_client.post(
        goal_url(agreed_goal), {"status": "in_progress", "reflection": "Two clinics shadowed."}
    )

    assert response.status_code == 302
    assert response.url.endswith(f"/mentorships/{agreed_goal.mentorship_id}/#goals")
    agreed_goal.refresh_from_db()
    assert (agreed_goal.status, agreed_goal.reflection) == ("in_progress", "Two clinics shadowed.")


def test_the_mentorship_page_links_each_goal_to_its_progress_page(agreed_goal, mentee_client):
    detail = reverse("mentorship:mentorship_detail", args=[agreed_goal.mentorship_id])
    page = mentee_client.get(detail).content.decode()
    assert goal_url(agreed_goal) in page
    assert 'id="goals"' in page
    assert '<strong class="nhsuk-tag nhsuk-tag--grey">Not started</strong>' in page


@pytest.mark.parametrize(
    "data, error",
    [
        ({"status": ""}, "Choose how the goal is going"),
        ({"status": "abandoned"}, "Choose how the goal is going from the list"),
        ({"status": "achieved", "reflection": "x" * 2001}, "2000 characters or fewer"),
    ],
)
def test_bad_input_is_a_form_error_and_nothing_is_saved(agreed_goal, mentee_client, data, error):
    response = mentee_client.post(goal_url(agreed_goal), data)

    assert response.status_code == 400
    assert error in response.content.decode()
    agreed_goal.refresh_from_db()
    assert (agreed_goal.status, agreed_goal.reflection) == ("not_started", "")
    assert not agreed_goal.mentorship.events.filter(action=Action.GOAL_UPDATED).exists()


@pytest.mark.parametrize("role", ["outsider", "other_mentor", "other_mentee", "manager"])
def test_other_people_get_404_from_the_goal_page(role, sign_in, agreed_goal):
    client = sign_in(role)
    assert client.get(goal_url(agreed_goal)).status_code == 404
    assert client.post(goal_url(agreed_goal), {"status": "achieved"}).status_code == 404
    agreed_goal.refresh_from_db()
    assert agreed_goal.status == "not_started"


def test_a_goal_of_another_mentorship_is_404_under_yours(agreed_goal, mentee_client, programme):
    theirs = new_mentorship(new_mentee(programme), new_mentor(programme), programme)
    propose_agreement(theirs, by=theirs.mentee, goals=["Pass the MRCP"])
    other_goal = AgreedGoal.objects.get(mentorship=theirs)
    url = reverse("journey:goal_progress", args=[agreed_goal.mentorship_id, other_goal.pk])

    assert mentee_client.post(url, {"status": "achieved"}).status_code == 404
    other_goal.refresh_from_db()
    assert other_goal.status == "not_started"


def test_an_ended_mentorship_goal_page_says_why(agreed_goal, mentee, mentee_client):
    mentorship_services.end_mentorship(
        agreed_goal.mentorship, by=mentee, completed=False, reason="Moved away"
    )
    response = mentee_client.post(goal_url(agreed_goal), {"status": "achieved"})
    assert response.status_code == 409
    assert "it cannot change now" in response.content.decode()
    agreed_goal.refresh_from_db()
    assert agreed_goal.status == "not_started"


def test_the_mentees_home_shows_the_goals_with_their_progress(agreed_goal, mentee, mentee_client):
    update_goal(agreed_goal, by=mentee, status="achieved")
    page = mentee_client.get(reverse("mentorship:mentee_home")).content.decode()
    assert GOALS[0] in page
    assert '<strong class="nhsuk-tag nhsuk-tag--green">Achieved</strong>' in page
