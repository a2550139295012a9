"""Leaving a programme ends the person's open requests and held places there, and every
transition re-checks that both people still belong (issue 9, item 15)."""

from __future__ import annotations

import pytest

from mentorship import services
from mentorship.models import (
    Action,
    MenteeMembership,
    MentorMembership,
    MentorProfile,
    MentorRequest,
    OutboxEmail,
)

pytestmark = pytest.mark.django_db
Status = MentorRequest.Status


def test_a_removed_mentor_cannot_accept_a_request_they_had(manager, programme, mentor, mentee):
    mentor_request = services.request_mentor(mentee, mentor, programme)
    membership = MentorMembership.objects.get(programme=programme, user=mentor)
    MentorMembership.objects.filter(pk=membership.pk).update(
        status=MentorMembership.Status.REMOVED
    )  # as an old admin edit would

    with pytest.raises(services.InvalidTransition, match="no longer a mentor"):
        services.accept_request(mentor_request, by=mentor)

    mentor_request.refresh_from_db()
    assert mentor_request.status == Status.PENDING


def test_removing_a_mentor_closes_their_open_requests_and_frees_held_places(
    manager, programme, mentor, mentee, accepted_request
):
    held = accepted_request
    membership = MentorMembership.objects.get(programme=programme, user=mentor)

    services.remove_from_programme(membership, by=manager, note="Moved trust.")

    held.refresh_from_db()
    assert held.status == Status.WITHDRAWN
    assert held.events.last().note == "The mentor has left the programme."
    assert MentorProfile.objects.with_free_places().get(user=mentor).held_places == 0
    assert OutboxEmail.objects.filter(kind="request_closed", to_email=mentee.email).exists()
    membership.refresh_from_db()
    assert membership.status == MentorMembership.Status.REMOVED
    assert membership.events.get().action == Action.LEFT


def test_a_withdrawn_mentee_cannot_be_approved(
    manager, programme, mentor, mentee, accepted_request
):
    held = accepted_request
    membership = MenteeMembership.objects.get(programme=programme, user=mentee)

    services.remove_from_programme(membership, by=mentee)

    held.refresh_from_db()
    assert held.status == Status.WITHDRAWN
    assert OutboxEmail.objects.filter(kind="request_withdrawn", to_email=mentor.email).exists()
    with pytest.raises(services.InvalidTransition):
        services.approve_request(held, by=manager)


def test_an_outsider_cannot_remove_someone_from_a_programme(outsider, programme, mentor):
    membership = MentorMembership.objects.get(programme=programme, user=mentor)

    with pytest.raises(services.NotAllowed):
        services.remove_from_programme(membership, by=outsider)

    membership.refresh_from_db()
    assert membership.status == MentorMembership.Status.APPROVED
