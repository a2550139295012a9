"""The mentorship page: both people, the goals and dates, for the two of them and the
programme's managers only. Ending it: test_end_mentorship.py."""

import pytest
from django.urls import reverse

from mentorship.models import Mentorship
from tests.factories import MentorshipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def mentorship(programme, mentee, mentor):
    return MentorshipFactory(programme=programme, mentee=mentee, mentor=mentor)


def page_url(mentorship):
    return reverse("mentorship:mentorship_detail", args=[mentorship.pk])


def end_url(mentorship):
    return reverse("mentorship:end_early", args=[mentorship.pk])


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
        "Trust-grade or locally employed doctor",
        "Dr Gareth Pryce",
        mentor.email,
        "Divisional Director for Primary Care",
        "Riverside University Hospitals NHS Trust",
        "Career move",
        "Meeting weekly",
        mentorship.started_on.strftime("%-d %B %Y"),
        mentorship.planned_end_on.strftime("%-d %B %Y"),
    ):
        assert text in html, text
    assert f'href="{end_url(mentorship)}"' in html


@pytest.mark.parametrize("person", ["outsider", "other_mentee", "other_manager"])
def test_nobody_else_can_open_or_end_it(sign_in, person, mentorship):
    client = sign_in(person)

    responses = [client.get(page_url(mentorship)), client.post(end_url(mentorship), {})]

    assert [r.status_code for r in responses] == [404, 404]
    assert Mentorship.objects.get(pk=mentorship.pk).status == Mentorship.Status.ACTIVE


def test_the_mentee_home_links_the_mentorship(mentee_client, mentorship):
    html = mentee_client.get(reverse("mentorship:mentee_home")).content.decode()

    assert page_url(mentorship) in html
    assert "Dr Gareth Pryce" in html


@pytest.mark.parametrize("person", ["mentee", "mentor", "manager"])
@pytest.mark.parametrize("status", ["active", "completed"])
def test_every_link_on_this_page_list_leads_to_a_section_of_the_page(
    sign_in, person, status, mentorship
):
    import re

    from django.utils import timezone

    if status == "completed":
        Mentorship.objects.filter(pk=mentorship.pk).update(
            status=Mentorship.Status.COMPLETED, ended_on=timezone.localdate()
        )
    html = sign_in(person).get(page_url(mentorship)).content.decode()

    contents = re.search(r'<nav class="nhsuk-contents-list".*?</nav>', html, re.S).group(0)
    anchors = re.findall(r'href="#([\w-]+)"', contents)
    assert {"agreement", "meetings", "people", "history"} <= set(anchors)
    ids = set(re.findall(r'\bid="([\w-]+)"', html))
    assert set(anchors) <= ids, set(anchors) - ids
    assert ("end" in anchors) == (status == "active")
