"""The programme's accepted mentees, and one mentee's page with GMC number and intake notes."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from mentorship.models import MenteeMembership
from tests.factories import (
    MenteeMembershipFactory,
    MenteeProfileFactory,
    MentorshipFactory,
    specialty,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def membership(mentee, programme):
    membership = MenteeMembership.objects.get(user=mentee, programme=programme)
    membership.intake_notes = "Wants to shadow GP clinics."
    membership.decided_at = timezone.make_aware(datetime.datetime(2025, 3, 4, 10, 0))
    membership.save()
    profile = mentee.mentee_profile
    profile.gmc_number = "7111111"
    profile.save()
    return membership


def test_the_list_shows_accepted_mentees_only(manager_client, programme, membership):
    MenteeMembershipFactory(programme=programme, status=MenteeMembership.Status.APPLIED)
    MenteeMembershipFactory(programme=programme, status=MenteeMembership.Status.DECLINED)

    response = manager_client.get(reverse("manage:mentees", args=[programme.slug]))

    assert response.status_code == 200
    assert list(response.context["memberships"]) == [membership]
    html = response.content.decode()
    assert "Dr Amara Nwosu" in html
    assert "General Practice" in html
    assert "Trust-grade or locally employed doctor" in html
    assert "London" in html
    assert "4 March 2025" in html
    assert reverse("manage:mentee", args=[programme.slug, membership.pk]) in html


def test_the_list_takes_the_same_queries_for_many_mentees(
    manager_client, programme, membership, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12) as one:
        manager_client.get(reverse("manage:mentees", args=[programme.slug]))
    for _ in range(10):
        user = MenteeProfileFactory(target_specialty=specialty("psychiatry")).user
        MenteeMembershipFactory(programme=programme, user=user)

    with django_assert_max_num_queries(len(one.captured_queries)):
        response = manager_client.get(reverse("manage:mentees", args=[programme.slug]))

    assert len(response.context["memberships"]) == 11


def test_the_mentee_page_shows_gmc_and_intake_notes_to_the_manager(
    manager_client, programme, membership
):
    response = manager_client.get(reverse("manage:mentee", args=[programme.slug, membership.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert "7111111" in html
    assert "Wants to shadow GP clinics." in html
    assert "Not matched yet" in html


def test_the_mentee_page_names_their_mentor(manager_client, programme, membership, mentor):
    MentorshipFactory(programme=programme, mentor=mentor, mentee=membership.user)

    response = manager_client.get(reverse("manage:mentee", args=[programme.slug, membership.pk]))

    assert "Dr Gareth Pryce" in response.content.decode()


def test_an_applicant_is_not_a_mentee_yet(manager_client, programme):
    waiting = MenteeMembershipFactory(programme=programme, status=MenteeMembership.Status.APPLIED)

    response = manager_client.get(reverse("manage:mentee", args=[programme.slug, waiting.pk]))

    assert response.status_code == 404


def test_another_programmes_mentee_under_my_slug_is_404(manager_client, programme, other_mentee):
    elsewhere = other_mentee.mentee_memberships.get()

    response = manager_client.get(reverse("manage:mentee", args=[programme.slug, elsewhere.pk]))

    assert response.status_code == 404
