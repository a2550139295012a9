"""The directory and mentor pages say whether the mentee can ask, and why not, before they
write a message; "Ask" appears only when asking can succeed (issue 10, item 7)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mentorship import services
from tests.factories import MentorMembershipFactory, MentorProfileFactory, MentorshipFactory

pytestmark = pytest.mark.django_db


def ask_url(programme, mentor) -> str:
    return reverse("mentorship:request_mentor", args=[programme.slug, mentor.pk])


def directory(client, programme) -> str:
    return client.get(reverse("mentorship:directory", args=[programme.slug])).content.decode()


def mentor_page(client, programme, mentor) -> str:
    url = reverse("mentorship:mentor_detail", args=[programme.slug, mentor.pk])
    return client.get(url).content.decode()


@pytest.fixture
def second_mentor(programme):
    user = MentorProfileFactory(user__full_name="Dr Helen Achebe").user
    MentorMembershipFactory(programme=programme, user=user)
    return user


def test_a_mentor_already_asked_is_marked_and_cannot_be_asked_again(
    client, programme, mentor, mentee, second_mentor
):
    services.request_mentor(mentee, mentor, programme)
    client.force_login(mentee)

    html = directory(client, programme)

    assert "You have asked" in html
    assert ask_url(programme, mentor) not in html
    assert ask_url(programme, second_mentor) in html
    page = mentor_page(client, programme, mentor)
    assert f"You have already asked {mentor.full_name}." in page
    assert ask_url(programme, mentor) not in page


def test_at_the_open_request_limit_the_directory_says_so_with_the_count(
    client, programme, mentor, mentee, second_mentor
):
    programme.max_open_requests = 1
    programme.save()
    services.request_mentor(mentee, mentor, programme)
    client.force_login(mentee)

    html = directory(client, programme)

    assert "You can have 1 open requests at a time and you have 1." in html
    assert ask_url(programme, second_mentor) not in html


def test_a_full_mentor_page_says_why_and_offers_no_form(client, programme, mentee):
    full = MentorProfileFactory(user__full_name="Dr Ian Moss", capacity=1).user
    MentorMembershipFactory(programme=programme, user=full)
    MentorshipFactory(programme=programme, mentor=full)
    client.force_login(mentee)

    page = mentor_page(client, programme, full)

    assert "no free place" in page
    assert ask_url(programme, full) not in page


def test_a_matched_mentee_is_told_they_have_a_mentor(client, programme, mentee, second_mentor):
    MentorshipFactory(programme=programme, mentee=mentee)
    client.force_login(mentee)

    html = directory(client, programme)

    assert "You already have a mentor in this programme." in html
    assert ask_url(programme, second_mentor) not in html
