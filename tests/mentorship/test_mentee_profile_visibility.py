"""Who can read a mentee's profile (issue 9, item 21)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mentorship import services
from mentorship.models import MenteeProfile, MentorRequest

pytestmark = pytest.mark.django_db


def profile_page(client, mentee):
    return client.get(reverse("mentorship:mentee_detail", args=[mentee.pk]))


def test_a_mentor_reads_the_profile_while_the_request_is_open(mentor_client, pending_request):
    assert profile_page(mentor_client, pending_request.mentee).status_code == 200


def test_a_mentor_who_declined_can_no_longer_read_the_profile(
    mentor_client, pending_request, mentor, mentee
):
    services.decline_request(pending_request, by=mentor, reason=MentorRequest.DeclineReason.NO_TIME)

    assert profile_page(mentor_client, mentee).status_code == 404
    assert not MenteeProfile.objects.visible_to(mentor).filter(user=mentee).exists()


def test_a_past_mentor_still_reads_the_profile(mentor_client, programme, mentor, mentee):
    programme.requires_approval = False
    programme.save()
    mentor_request = services.request_mentor(mentee, mentor, programme)
    services.accept_request(mentor_request, by=mentor)
    mentorship = mentor_request.mentorship
    services.end_mentorship(mentorship, by=mentee, completed=True)

    assert profile_page(mentor_client, mentee).status_code == 200
