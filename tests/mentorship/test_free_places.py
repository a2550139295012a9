"""A mentor's free places, defined once (MentorProfileQuerySet.with_free_places): capacity
less active mentorships less places held by accepted requests and approved proposals, across
programmes; none while paused."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mentorship import services
from mentorship.models import MentorProfile, MentorRequest, Mentorship
from tests.factories import (
    MentorMembershipFactory,
    MentorProfileFactory,
    MentorshipFactory,
    new_mentee,
    new_mentor,
)

pytestmark = pytest.mark.django_db
Status = MentorRequest.Status


def one_place_mentor(programme):
    return new_mentor(programme, "Dr Ian Moss", capacity=1)


def places(mentor) -> dict[str, int]:
    return (
        MentorProfile.objects.with_free_places()
        .filter(user=mentor)
        .values("active_mentees", "held_places", "places_left", "free_places")
        .get()
    )


def test_free_places_count_active_mentorships_and_held_places_across_programmes(
    programme, other_programme
):
    mentor = MentorProfileFactory(capacity=4).user
    for p in (programme, other_programme):
        MentorMembershipFactory(programme=p, user=mentor)
    MentorshipFactory(programme=other_programme, mentor=mentor)
    accepted = services.request_mentor(new_mentee(programme), mentor, programme)
    services.accept_request(accepted, by=mentor)
    services.request_mentor(new_mentee(programme), mentor, programme)

    assert places(mentor) == {
        "active_mentees": 1,
        "held_places": 1,  # the pending request holds nothing yet
        "places_left": 2,
        "free_places": 2,
    }


def test_a_paused_mentor_has_no_free_place_but_keeps_places_left(programme, mentor):
    services.set_accepting_requests(mentor.mentor_profile, by=mentor, accepting=False)

    assert places(mentor)["free_places"] == 0
    assert places(mentor)["places_left"] == 2
    assert MentorProfile.objects.get(user=mentor).free_place_count == 0


def test_a_place_held_by_an_approved_proposal_cannot_be_asked_for(programme, manager):
    mentor = one_place_mentor(programme)
    services.propose_match(
        programme, new_mentee(programme), mentor, by=manager, score=80.0, reasons=[]
    )

    with pytest.raises(services.NoFreePlace):
        services.request_mentor(new_mentee(programme), mentor, programme)

    assert MentorRequest.objects.filter(mentor=mentor).count() == 1


def test_a_place_held_by_an_accepted_request_cannot_be_asked_for(programme):
    mentor = one_place_mentor(programme)
    first = services.request_mentor(new_mentee(programme), mentor, programme)
    services.accept_request(first, by=mentor)

    with pytest.raises(services.NoFreePlace):
        services.request_mentor(new_mentee(programme), mentor, programme)


def test_a_mentor_with_one_place_cannot_accept_two_requests(programme):
    mentor = one_place_mentor(programme)
    first = services.request_mentor(new_mentee(programme), mentor, programme)
    second = services.request_mentor(new_mentee(programme), mentor, programme)
    services.accept_request(first, by=mentor)

    with pytest.raises(services.NoFreePlace, match="You have no free place"):
        services.accept_request(second, by=mentor)

    second.refresh_from_db()
    assert second.status == Status.PENDING
    assert places(mentor)["held_places"] == 1


def test_the_mentor_is_told_they_have_no_place_before_they_try_to_accept(client, programme):
    mentor = one_place_mentor(programme)
    first = services.request_mentor(new_mentee(programme), mentor, programme)
    second = services.request_mentor(new_mentee(programme), mentor, programme)
    services.accept_request(first, by=mentor)
    client.force_login(mentor)

    page = client.get(reverse("mentorship:inbox_detail", args=[second.pk])).content.decode()

    assert "You have no free place: 0 of 1 places are taken" in page
    assert reverse("mentorship:accept_request", args=[second.pk]) not in page
    assert reverse("mentorship:decline_request", args=[second.pk]) in page


def test_approving_what_was_held_always_succeeds(programme, manager):
    mentor = one_place_mentor(programme)
    held = services.accept_request(
        services.request_mentor(new_mentee(programme), mentor, programme), by=mentor
    )

    services.approve_request(held, by=manager)

    held.refresh_from_db()
    assert held.status == Status.APPROVED
    assert Mentorship.objects.active().filter(mentor=mentor).count() == 1
    assert places(mentor)["free_places"] == 0


def test_a_proposal_held_for_a_paused_mentor_still_starts_when_they_accept(programme, manager):
    mentor = one_place_mentor(programme)
    proposal = services.propose_match(
        programme, new_mentee(programme), mentor, by=manager, score=80.0, reasons=[]
    )
    services.set_accepting_requests(mentor.mentor_profile, by=mentor, accepting=False)

    services.accept_request(proposal, by=mentor)

    proposal.refresh_from_db()
    assert proposal.status == Status.APPROVED
    assert Mentorship.objects.active().filter(mentor=mentor).count() == 1


def test_capacity_cannot_be_lowered_below_the_places_taken(programme):
    mentor = new_mentor(programme, capacity=2)
    MentorshipFactory(programme=programme, mentor=mentor)
    services.accept_request(
        services.request_mentor(new_mentee(programme), mentor, programme), by=mentor
    )
    from mentorship.forms import MentorProfileForm

    form = MentorProfileForm(instance=MentorProfile.objects.get(user=mentor))
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(capacity=1)
    bound = MentorProfileForm(data, instance=MentorProfile.objects.get(user=mentor))

    assert not bound.is_valid()
    assert "Enter 2 or more" in bound.errors["capacity"][0]
    assert MentorProfile.objects.get(user=mentor).capacity == 2
