"""The mentorship page: both people, the goals and dates, and ending the mentorship."""

import pytest
from django.urls import reverse

from mentorship.models import Mentorship
from tests.factories import MentorMembershipFactory, MentorProfileFactory, MentorshipFactory

pytestmark = pytest.mark.django_db
Status = Mentorship.Status


@pytest.fixture
def mentorship(programme, mentee, mentor):
    return MentorshipFactory(programme=programme, mentee=mentee, mentor=mentor)


@pytest.fixture
def sign_in(client, request, with_mfa):
    def as_person(name):
        user = request.getfixturevalue(name)
        if name in ("manager", "other_manager"):
            with_mfa(user)
        client.force_login(user)
        return client

    return as_person


def page_url(mentorship):
    return reverse("mentorship:mentorship_detail", args=[mentorship.pk])


def end_url(mentorship):
    return reverse("mentorship:end_mentorship", args=[mentorship.pk])


def refreshed(mentorship):
    mentorship.refresh_from_db()
    return mentorship


@pytest.mark.parametrize("person", ["mentee", "mentor", "manager"])
def test_both_people_and_the_managers_see_both_people_goals_and_dates(
    sign_in, person, mentorship, mentee, mentor
):
    response = sign_in(person).get(page_url(mentorship))

    html = response.content.decode()
    assert response.status_code == 200
    for text in (
        "Dr Amara Nwosu",
        mentee.email,
        "Trust-grade doctor or clinical fellow",
        "Dr Gareth Pryce",
        mentor.email,
        "Divisional Director for Primary Care",
        "Riverside University Hospitals NHS Trust",
        "Career move",
        "Weekly",
        mentorship.started_on.strftime("%-d %B %Y"),
        mentorship.planned_end_on.strftime("%-d %B %Y"),
    ):
        assert text in html, text
    assert f'action="{end_url(mentorship)}"' in html


@pytest.mark.parametrize("person", ["outsider", "other_mentee", "other_manager"])
def test_nobody_else_can_open_or_end_it(sign_in, person, mentorship):
    client = sign_in(person)

    responses = [client.get(page_url(mentorship)), client.post(end_url(mentorship), {})]

    assert [r.status_code for r in responses] == [404, 404]
    assert refreshed(mentorship).status == Status.ACTIVE


def test_another_mentor_of_the_programme_gets_404(client, programme, mentorship):
    someone = MentorProfileFactory().user
    MentorMembershipFactory(programme=programme, user=someone)
    client.force_login(someone)

    response = client.post(end_url(mentorship), {"outcome": "completed", "confirmed": "True"})

    assert response.status_code == 404
    assert refreshed(mentorship).status == Status.ACTIVE


@pytest.mark.parametrize("person", ["mentee", "mentor", "manager"])
def test_each_of_the_three_can_mark_it_complete(sign_in, person, mentorship):
    response = sign_in(person).post(
        end_url(mentorship), {"outcome": "completed", "confirmed": "True"}
    )

    assert response.status_code == 302
    assert response["Location"] == page_url(mentorship)
    mentorship = refreshed(mentorship)
    assert mentorship.status == Status.COMPLETED
    assert mentorship.ended_on is not None
    assert mentorship.end_reason == ""


def test_ending_early_records_the_reason(sign_in, mentorship):
    client = sign_in("mentor")

    response = client.post(
        end_url(mentorship),
        {"outcome": "ended_early", "reason": "I am moving to Scotland.", "confirmed": "True"},
    )

    assert response.status_code == 302
    mentorship = refreshed(mentorship)
    assert mentorship.status == Status.ENDED_EARLY
    assert mentorship.end_reason == "I am moving to Scotland."
    html = client.get(page_url(mentorship)).content.decode()
    assert "I am moving to Scotland." in html
    assert "Ended early" in html
    assert end_url(mentorship) not in html


def test_a_completed_mentorship_keeps_no_early_ending_reason(sign_in, mentorship):
    sign_in("mentee").post(
        end_url(mentorship), {"outcome": "completed", "reason": "Typed.", "confirmed": "True"}
    )

    assert refreshed(mentorship).end_reason == ""


def test_ending_early_without_a_reason_is_refused(sign_in, mentorship):
    response = sign_in("mentee").post(end_url(mentorship), {"outcome": "ended_early"})

    html = response.content.decode()
    assert response.status_code == 400
    assert 'href="#id_reason"' in html
    assert 'id="id_reason-error"' in html
    assert html.count("Enter why the mentorship is ending early") >= 2
    assert refreshed(mentorship).status == Status.ACTIVE


def test_no_outcome_chosen_is_refused(sign_in, mentorship):
    response = sign_in("mentee").post(end_url(mentorship), {})

    html = response.content.decode()
    assert response.status_code == 400
    assert 'href="#id_outcome_0"' in html
    assert "Select whether the mentorship is complete or ending early" in html
    assert refreshed(mentorship).status == Status.ACTIVE


def test_ending_twice_is_409_and_changes_nothing(sign_in, mentorship):
    client = sign_in("mentee")
    client.post(end_url(mentorship), {"outcome": "completed", "confirmed": "True"})
    ended_on = refreshed(mentorship).ended_on

    response = client.post(
        end_url(mentorship), {"outcome": "ended_early", "reason": "Again.", "confirmed": "True"}
    )

    assert response.status_code == 409
    assert "This mentorship is already completed." in response.content.decode()
    mentorship = refreshed(mentorship)
    assert (mentorship.status, mentorship.ended_on, mentorship.end_reason) == (
        Status.COMPLETED,
        ended_on,
        "",
    )


def test_the_mentee_home_links_the_mentorship(sign_in, mentorship):
    html = sign_in("mentee").get(reverse("mentorship:mentee_home")).content.decode()

    assert page_url(mentorship) in html
    assert "Dr Gareth Pryce" in html


def test_my_requests_links_the_mentorship(sign_in, mentorship):
    html = sign_in("mentee").get(reverse("mentorship:my_requests")).content.decode()

    assert page_url(mentorship) in html
