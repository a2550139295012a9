"""A manager's list of their programmes, with what is waiting in each."""

import pytest
from django.urls import reverse

from mentorship.models import MenteeMembership, MentorMembership
from tests.factories import MenteeMembershipFactory, MentorMembershipFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db

HOME = reverse("manage:home")


def cells(response, programme):
    return next(p for p in response.context["programmes"] if p.pk == programme.pk)


def test_the_manager_sees_their_programmes_with_counts(manager_client, programme, mentee, mentor):
    MenteeMembershipFactory.create_batch(
        2, programme=programme, status=MenteeMembership.Status.APPLIED
    )
    MenteeMembershipFactory(programme=programme, status=MenteeMembership.Status.DECLINED)
    MentorMembershipFactory(programme=programme, status=MentorMembership.Status.APPLIED)
    MentorMembershipFactory(programme=programme, status=MentorMembership.Status.INVITED)

    response = manager_client.get(HOME)

    assert response.status_code == 200
    row = cells(response, programme)
    assert (row.applicants_waiting, row.mentors_waiting) == (2, 1)
    assert (row.mentees_accepted, row.mentors_approved) == (1, 1)
    html = response.content.decode()
    assert "Northfield Clinical Fellows" in html
    assert reverse("manage:programme", args=[programme.slug]) in html


def test_a_programme_with_nobody_counts_zero(manager_client, programme):
    row = cells(manager_client.get(HOME), programme)

    assert (row.applicants_waiting, row.mentors_waiting) == (0, 0)
    assert (row.mentees_accepted, row.mentors_approved) == (0, 0)


def test_the_manager_does_not_see_other_programmes(manager_client, other_programme):
    response = manager_client.get(HOME)

    assert "Southgate IMG Scheme" not in response.content.decode()


def test_the_counts_take_the_same_number_of_queries_for_many_programmes(
    manager_client, manager, django_assert_max_num_queries
):
    with django_assert_max_num_queries(13) as one:  # 7, and one per needs-attention kind
        manager_client.get(HOME)
    for _ in range(5):
        extra = ProgrammeFactory()
        extra.managers.add(manager)
        MenteeMembershipFactory(programme=extra, status=MenteeMembership.Status.APPLIED)
        MentorMembershipFactory(programme=extra)

    with django_assert_max_num_queries(len(one.captured_queries)):
        response = manager_client.get(HOME)

    assert len(response.context["programmes"]) == 6
