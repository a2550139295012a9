"""The mentor roster: approved mentors with their places, mentors waiting for vetting, and
invitations."""

import pytest
from django.urls import reverse

from mentorship.models import MentorMembership
from tests.factories import MentorMembershipFactory, MentorProfileFactory, MentorshipFactory

pytestmark = pytest.mark.django_db


def mentor_in(programme, name, status=MentorMembership.Status.APPROVED, **profile):
    user = MentorProfileFactory(user__full_name=name, **profile).user
    return MentorMembershipFactory(programme=programme, user=user, status=status)


def test_the_roster_groups_mentors_by_status(manager_client, programme, mentor):
    waiting = mentor_in(programme, "Dr Waiting Vetting", MentorMembership.Status.APPLIED)
    invited = mentor_in(programme, "Dr Invited Person", MentorMembership.Status.INVITED)
    declined = mentor_in(programme, "Dr Declined Person", MentorMembership.Status.DECLINED)

    response = manager_client.get(reverse("manage:mentors", args=[programme.slug]))

    assert response.status_code == 200
    assert [m.user for m in response.context["approved"]] == [mentor]
    assert response.context["waiting"] == [waiting]
    assert response.context["invited"] == [invited]
    assert response.context["former"] == [declined]
    html = response.content.decode()
    assert "Waiting for vetting" in html
    assert reverse("manage:mentor", args=[programme.slug, waiting.pk]) in html
    assert reverse("manage:invite_mentor", args=[programme.slug]) in html


def test_the_roster_shows_capacity_free_places_and_paused_mentors(manager_client, programme):
    busy = mentor_in(programme, "Dr Busy Mentor", capacity=1)
    MentorshipFactory(programme=programme, mentor=busy.user)
    mentor_in(programme, "Dr Free Mentor", capacity=3)
    mentor_in(programme, "Dr Paused Mentor", is_accepting_requests=False)

    response = manager_client.get(reverse("manage:mentors", args=[programme.slug]))

    html = response.content.decode()
    assert "Full" in html
    assert "3 places free" in html
    assert "Not taking requests" in html


def test_the_roster_runs_the_same_queries_for_3_or_30_mentors(
    manager_client, programme, django_assert_max_num_queries
):
    for n in range(3):
        mentor_in(programme, f"Dr Early Mentor {n}")
    with django_assert_max_num_queries(12) as few:
        manager_client.get(reverse("manage:mentors", args=[programme.slug]))
    for n in range(27):
        membership = mentor_in(programme, f"Dr Later Mentor {n}")
        MentorshipFactory(programme=programme, mentor=membership.user)
    mentor_in(programme, "Dr Someone Waiting", MentorMembership.Status.APPLIED)
    mentor_in(programme, "Dr Someone Invited", MentorMembership.Status.INVITED)

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = manager_client.get(reverse("manage:mentors", args=[programme.slug]))

    assert len(response.context["approved"]) == 30


def test_another_programmes_mentors_are_not_listed(manager_client, programme, other_programme):
    mentor_in(other_programme, "Dr Elsewhere Mentor")

    response = manager_client.get(reverse("manage:mentors", args=[programme.slug]))

    assert "Dr Elsewhere Mentor" not in response.content.decode()
