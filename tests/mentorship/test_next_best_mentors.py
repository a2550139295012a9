"""When a request ends without a match, the mentee is offered their next best mentors who can
still take them, in one step (issue 10, item 3)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils.html import escape

from mentorship import services
from mentorship.models import MentorRequest, OutboxEmail
from tests.factories import MentorshipFactory, new_mentor

pytestmark = pytest.mark.django_db


@pytest.fixture
def others(programme):
    """Three more mentors: one full, one paused, one free."""
    free = new_mentor(programme, "Dr Helen Achebe")
    full = new_mentor(programme, "Dr Ian Moss", capacity=1)
    paused = new_mentor(programme, "Dr Rosa Lindqvist", is_accepting_requests=False)
    MentorshipFactory(programme=programme, mentor=full)
    return {"free": free, "full": full, "paused": paused}


def test_a_declined_mentee_is_offered_only_mentors_who_can_take_them(
    mentee_client, programme, mentor, mentee, others
):
    mentor_request = services.request_mentor(mentee, mentor, programme)
    services.decline_request(mentor_request, by=mentor, reason="no_time")

    page = mentee_client.get(reverse("mentorship:request_detail", args=[mentor_request.pk]))

    html = page.content.decode()
    assert "Mentors who can take you now" in html
    assert escape(f"Ask {others['free'].full_name}") in html
    for text in (others["full"].full_name, others["paused"].full_name, f"Ask {mentor.full_name}"):
        assert escape(text) not in html  # escaped, or "not in" would pass for any O'Brien
    email = OutboxEmail.objects.get(kind="request_declined", to_email=mentee.email)
    assert "- Dr Helen Achebe" in email.body_text
    assert "#next-best" in email.body_text


def test_asking_a_suggested_mentor_takes_one_step(mentee_client, programme, mentor, mentee, others):
    mentor_request = services.request_mentor(mentee, mentor, programme)
    services.decline_request(mentor_request, by=mentor, reason="no_time")

    response = mentee_client.post(
        reverse("mentorship:request_mentor", args=[programme.slug, others["free"].pk]),
        {"message": ""},
    )

    new = MentorRequest.objects.get(mentee=mentee, mentor=others["free"])
    assert response.status_code == 302
    assert response["Location"] == reverse("mentorship:request_detail", args=[new.pk])
    assert new.status == MentorRequest.Status.PENDING


def test_nothing_is_offered_once_the_mentee_is_at_their_limit(
    mentee_client, programme, mentor, mentee, others
):
    programme.max_open_requests = 1
    programme.save()
    mentor_request = services.request_mentor(mentee, mentor, programme)
    services.decline_request(mentor_request, by=mentor, reason="no_time")
    services.request_mentor(mentee, others["free"], programme)

    html = mentee_client.get(reverse("mentorship:request_detail", args=[mentor_request.pk])).content
    assert b"Mentors who can take you now" not in html
