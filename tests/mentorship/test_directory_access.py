"""Who may browse a programme's mentor directory (Programme.objects.with_directory_for)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from mentorship.models import MenteeMembership, Programme
from tests.factories import MenteeMembershipFactory, MenteeProfileFactory

pytestmark = pytest.mark.django_db


def browsable(user) -> list[str]:
    return list(Programme.objects.with_directory_for(user).values_list("slug", flat=True))


def test_accepted_mentees_and_managers_browse_their_own_programme(
    programme, other_programme, mentee, manager
):
    assert browsable(mentee) == [programme.slug]
    assert browsable(manager) == [programme.slug]


def test_applicants_declined_mentees_outsiders_and_visitors_browse_nothing(programme, outsider):
    applicant = MenteeProfileFactory().user
    MenteeMembershipFactory(
        programme=programme, user=applicant, status=MenteeMembership.Status.APPLIED
    )
    declined = MenteeProfileFactory().user
    MenteeMembershipFactory(
        programme=programme, user=declined, status=MenteeMembership.Status.DECLINED
    )
    assert browsable(applicant) == []
    assert browsable(declined) == []
    assert browsable(outsider) == []
    assert browsable(AnonymousUser()) == []


def test_a_manager_who_is_also_a_mentee_there_gets_the_programme_once(programme, mentee):
    programme.managers.add(mentee)
    assert browsable(mentee) == [programme.slug]
    assert Programme.objects.with_directory_for(mentee).count() == 1
