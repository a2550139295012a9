"""A matched mentee's home leads to their mentorship, not to "Find a mentor"; a matched
request says "Matched" with the date (issue 10, item 6)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mentorship import services

pytestmark = pytest.mark.django_db


def test_a_matched_mentees_home_leads_to_their_mentorship(client, programme, mentor, mentee):
    programme.requires_approval = False
    programme.save()
    mentor_request = services.request_mentor(mentee, mentor, programme)
    services.accept_request(mentor_request, by=mentor)
    mentorship = mentor_request.mentorship
    client.force_login(mentee)

    html = client.get(reverse("mentorship:mentee_home")).content.decode()

    assert '<h1 class="nhsuk-heading-l">Your mentoring</h1>' in html
    assert "Go to your mentorship" in html
    assert reverse("mentorship:mentorship_detail", args=[mentorship.pk]) in html
    assert "Browse mentors" not in html
    listing = client.get(reverse("mentorship:my_requests")).content.decode()
    assert ">Matched</strong>" in listing
