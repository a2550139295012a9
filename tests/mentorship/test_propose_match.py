"""A manager approves a match-run proposal: a request already approved by the programme
team, holding one of the mentor's places until the mentor answers."""

import pytest

from mentorship import services
from mentorship.models import Action, MentorRequest, Mentorship
from tests.factories import MenteeMembershipFactory, UserFactory, new_mentor
from tests.mentorship.helpers import refreshed

pytestmark = pytest.mark.django_db
Status = MentorRequest.Status


def propose(programme, mentee, mentor, by):
    return services.propose_match(
        programme,
        mentee,
        mentor,
        by=by,
        score=88.0,
        reasons=["Same target specialty: General Practice"],
    )


def test_a_proposal_starts_the_mentorship_when_the_mentor_accepts(
    mentee, mentor, manager, programme
):
    proposal = propose(programme, mentee, mentor, by=manager)
    assert proposal.status == Status.PENDING
    assert proposal.manager_approved_by == manager and proposal.manager_approved_at
    assert [(e.action, e.actor) for e in proposal.events.all()] == [(Action.PROPOSED, manager)]

    services.accept_request(proposal, by=mentor)

    assert refreshed(proposal).status == Status.APPROVED
    assert Mentorship.objects.active().filter(mentee=mentee, mentor=mentor).exists()


def test_only_managers_can_propose(mentee, mentor, programme):
    with pytest.raises(services.NotAllowed):
        propose(programme, mentee, mentor, by=UserFactory())

    assert not MentorRequest.objects.exists()


def test_another_programmes_manager_cannot_propose(mentee, mentor, programme, other_manager):
    with pytest.raises(services.NotAllowed):
        propose(programme, mentee, mentor, by=other_manager)

    assert not MentorRequest.objects.exists()


def test_a_second_approved_proposal_for_one_mentee_is_refused(
    mentee, mentor, other_mentor, manager, programme
):
    first = propose(programme, mentee, mentor, by=manager)

    with pytest.raises(services.InvalidTransition, match="already has an approved proposal"):
        propose(programme, mentee, other_mentor, by=manager)

    assert list(MentorRequest.objects.all()) == [first]
    assert refreshed(first).status == Status.PENDING


def test_a_mentee_with_a_proposal_may_still_be_proposed_in_another_programme(
    mentee, mentor, manager, programme, other_programme
):
    """The one-proposal rule is per programme."""
    MenteeMembershipFactory(programme=other_programme, user=mentee)
    other_programme.managers.add(manager)
    propose(programme, mentee, mentor, by=manager)

    elsewhere = propose(other_programme, mentee, new_mentor(other_programme), by=manager)

    assert elsewhere.programme == other_programme
    assert MentorRequest.objects.filter(mentee=mentee).count() == 2
