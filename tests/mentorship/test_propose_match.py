"""A manager approves a match-run proposal: a request already approved by the programme
team, holding one of the mentor's places until the mentor answers."""

import pytest

from mentorship import services
from mentorship.models import Action, MentorRequest, Mentorship
from tests.factories import UserFactory
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
