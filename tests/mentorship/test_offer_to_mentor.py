"""A mentor offers to mentor in a programme and waits for vetting, or accepts an invitation.
The managers' side: test_manage_mentor.py and test_manage_invite_mentor.py."""

import pytest
from django.urls import reverse

from mentorship.models import Action, MentorMembership
from tests.factories import MentorMembershipFactory, MentorProfileFactory

pytestmark = pytest.mark.django_db
Status = MentorMembership.Status


def offer_url(programme):
    return reverse("mentorship:mentor_apply", args=[programme.slug])


def test_a_mentor_offers_to_mentor_and_waits_for_vetting(client, programme):
    user = MentorProfileFactory().user
    client.force_login(user)

    response = client.post(offer_url(programme))

    assert response.status_code == 302
    membership = MentorMembership.objects.get(user=user, programme=programme)
    assert membership.status == Status.APPLIED
    assert [(e.action, e.actor) for e in membership.events.all()] == [
        (Action.OFFERED_TO_MENTOR, user)
    ]


def test_an_invited_mentor_accepts_and_is_approved(client, programme):
    user = MentorProfileFactory().user
    MentorMembershipFactory(programme=programme, user=user, status=Status.INVITED)
    client.force_login(user)

    response = client.post(offer_url(programme))

    assert response.status_code == 302
    membership = MentorMembership.objects.get(user=user, programme=programme)
    assert membership.status == Status.APPROVED
    assert membership.decided_at is not None
    event = membership.events.get()
    assert (event.action, event.actor, event.from_status) == (
        Action.INVITATION_ACCEPTED,
        user,
        Status.INVITED,
    )


def test_a_mentor_already_approved_gets_409(client, mentor, programme):
    client.force_login(mentor)

    response = client.post(offer_url(programme))

    assert response.status_code == 409
    membership = MentorMembership.objects.get(user=mentor)
    assert membership.status == Status.APPROVED
    assert not membership.events.exists()
