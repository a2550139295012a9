"""The mentor's mentees: current mentorships first, then past ones."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from mentorship.models import Mentorship
from tests.factories import MentorshipFactory

pytestmark = pytest.mark.django_db


def test_my_mentees_lists_active_mentorships_then_past_ones(mentor_client, mentor, programme):
    active = MentorshipFactory(programme=programme, mentor=mentor)
    ended = MentorshipFactory(
        programme=programme, mentor=mentor, status=Mentorship.Status.COMPLETED
    )
    someone_elses = MentorshipFactory(programme=programme)

    response = mentor_client.get(reverse("mentorship:my_mentees"))

    html = response.content.decode()
    assert response.status_code == 200
    detail = "mentorship:mentorship_detail"
    assert html.index(reverse(detail, args=[active.pk])) < html.index("Past mentees")
    assert html.index("Past mentees") < html.index(reverse(detail, args=[ended.pk]))
    assert reverse(detail, args=[someone_elses.pk]) not in html
    # Names are escaped on the page: Dr Siobhán O'Brien shows as O&#x27;Brien in the HTML.
    assert escape(active.mentee.full_name) in html
    assert escape(ended.mentee.full_name) in html
    assert escape(someone_elses.mentee.full_name) not in html
