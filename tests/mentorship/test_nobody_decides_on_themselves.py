"""A person never decides on their own application, vetting or match: another manager or
staff must (issue 9, item 14)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mentorship import services
from mentorship.models import Action, MenteeMembership, MentorMembership, MentorRequest
from tests.factories import (
    MenteeMembershipFactory,
    MenteeProfileFactory,
    MentorMembershipFactory,
    MentorProfileFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_a_manager_cannot_accept_their_own_mentee_application(manager, programme):
    MenteeProfileFactory(user=manager)
    membership = MenteeMembershipFactory(
        programme=programme, user=manager, status=MenteeMembership.Status.APPLIED
    )

    with pytest.raises(services.NotAllowed, match="cannot decide on your own application"):
        services.decide_mentee_application(membership, by=manager, accept=True)

    membership.refresh_from_db()
    assert membership.status == MenteeMembership.Status.APPLIED
    assert not membership.events.exists()


def test_a_manager_cannot_vet_themselves_as_a_mentor(manager, programme):
    MentorProfileFactory(user=manager)
    membership = MentorMembershipFactory(
        programme=programme, user=manager, status=MentorMembership.Status.APPLIED
    )

    with pytest.raises(services.NotAllowed):
        services.decide_mentor_application(membership, by=manager, approve=True)

    membership.refresh_from_db()
    assert membership.status == MentorMembership.Status.APPLIED


def test_another_manager_can_vet_them_and_it_is_logged(manager, programme):
    colleague = MentorMembershipFactory(
        programme=programme,
        user=MentorProfileFactory(user=manager).user,
        status=MentorMembership.Status.APPLIED,
    )
    other = UserFactory(full_name="Priya Raman")
    programme.managers.add(other)

    services.decide_mentor_application(colleague, by=other, approve=True)

    colleague.refresh_from_db()
    assert colleague.status == MentorMembership.Status.APPROVED
    event = colleague.events.get()
    assert (event.action, event.actor, event.to_status) == (Action.VETTED, other, "approved")


def test_a_manager_cannot_approve_a_match_they_are_part_of(manager, programme, mentee):
    MentorProfileFactory(user=manager)
    MentorMembershipFactory(programme=programme, user=manager)
    mentor_request = services.request_mentor(mentee, manager, programme)
    services.accept_request(mentor_request, by=manager)

    with pytest.raises(services.NotAllowed, match="You are part of this match"):
        services.approve_request(mentor_request, by=manager)

    mentor_request.refresh_from_db()
    assert mentor_request.status == MentorRequest.Status.ACCEPTED


def test_the_manager_cannot_propose_themselves_from_a_match_run(manager, programme, mentee):
    MentorProfileFactory(user=manager)
    MentorMembershipFactory(programme=programme, user=manager)

    with pytest.raises(services.NotAllowed):
        services.propose_match(programme, mentee, manager, by=manager, score=50.0, reasons=[])

    assert not MentorRequest.objects.exists()


def test_the_applicant_page_says_another_manager_must_decide(manager_client, manager, programme):
    MenteeProfileFactory(user=manager)
    membership = MenteeMembershipFactory(
        programme=programme, user=manager, status=MenteeMembership.Status.APPLIED
    )

    page = manager_client.get(reverse("manage:applicant", args=[programme.slug, membership.pk]))

    html = page.content.decode()
    assert "This is your own application, so you cannot decide on it." in html
    assert "Save decision" not in html


def test_staff_can_decide_from_the_admin_and_it_is_logged(sign_in, staff, programme):
    membership = MenteeMembershipFactory(
        programme=programme,
        user=MenteeProfileFactory().user,
        status=MenteeMembership.Status.APPLIED,
    )

    sign_in("staff").post(
        reverse("admin:mentorship_menteemembership_changelist"),
        {"action": "accept", "_selected_action": [membership.pk]},
    )

    membership.refresh_from_db()
    assert membership.status == MenteeMembership.Status.ACCEPTED
    assert membership.events.get().action == Action.APPLICATION_ACCEPTED
