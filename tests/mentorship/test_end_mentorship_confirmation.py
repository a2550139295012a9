"""Ending or completing a mentorship asks for confirmation and says what will happen
(issue 10, item 8)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mentorship.models import Mentorship
from tests.factories import MentorshipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def mentorship(programme, mentor, mentee):
    return MentorshipFactory(programme=programme, mentor=mentor, mentee=mentee)


def test_the_first_submit_only_shows_what_will_happen(client, mentee, mentorship):
    client.force_login(mentee)

    response = client.post(
        reverse("mentorship:end_mentorship", args=[mentorship.pk]),
        {"outcome": "ended_early", "reason": "Not a good fit & that's fine."},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Are you sure you want to end the mentorship early?" in html
    assert "less than a week ago" in html
    assert "The mentor's place becomes free" in html
    assert 'name="confirmed" value="True"' in html
    assert 'value="Not a good fit &amp; that&#x27;s fine."' in html
    mentorship.refresh_from_db()
    assert mentorship.status == Mentorship.Status.ACTIVE


def test_confirming_ends_it(client, mentee, mentorship):
    client.force_login(mentee)

    client.post(
        reverse("mentorship:end_mentorship", args=[mentorship.pk]),
        {"outcome": "completed", "confirmed": "True"},
    )

    mentorship.refresh_from_db()
    assert mentorship.status == Mentorship.Status.COMPLETED
    assert mentorship.ended_by == mentee


def test_bulk_approval_lists_the_matches_and_asks_first(client, manager, with_mfa, programme):
    from mentorship import services
    from mentorship.models import MentorRequest
    from tests.factories import (
        MenteeMembershipFactory,
        MenteeProfileFactory,
        MentorMembershipFactory,
        MentorProfileFactory,
    )

    mentor = MentorProfileFactory(user__full_name="Dr Helen Achebe").user
    MentorMembershipFactory(programme=programme, user=mentor)
    mentee = MenteeProfileFactory(user__full_name="Dr Chidi Okafor").user
    MenteeMembershipFactory(programme=programme, user=mentee)
    held = services.accept_request(services.request_mentor(mentee, mentor, programme), by=mentor)
    with_mfa(manager)
    client.force_login(manager)
    url = reverse("manage:bulk_approve", args=[programme.slug])

    page = client.post(url, {"requests": [held.pk]}).content.decode()

    assert "Approve 1 match?" in page
    assert "Dr Chidi Okafor with Dr Helen Achebe" in page
    held.refresh_from_db()
    assert held.status == MentorRequest.Status.ACCEPTED

    client.post(url, {"requests": [held.pk], "confirmed": "True"})

    held.refresh_from_db()
    assert held.status == MentorRequest.Status.APPROVED
