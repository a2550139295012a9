"""The list of a programme's applications: waiting ones oldest first, decided ones below."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from mentorship.models import MenteeMembership
from tests.factories import MenteeMembershipFactory, MenteeProfileFactory

pytestmark = pytest.mark.django_db


def applied(programme, name, days_ago):
    user = MenteeProfileFactory(user__full_name=name).user
    membership = MenteeMembershipFactory(
        programme=programme, user=user, status=MenteeMembership.Status.APPLIED
    )
    created = timezone.now() - datetime.timedelta(days=days_ago)
    MenteeMembership.objects.filter(pk=membership.pk).update(created_at=created)
    return membership


def test_waiting_applications_are_listed_oldest_first_and_link_to_the_review(
    manager_client, programme
):
    newer = applied(programme, "Dr Newer Applicant", days_ago=1)
    older = applied(programme, "Dr Older Applicant", days_ago=9)

    response = manager_client.get(reverse("manage:applicants", args=[programme.slug]))

    assert response.status_code == 200
    assert list(response.context["waiting"]) == [older, newer]
    html = response.content.decode()
    assert html.index("Dr Older Applicant") < html.index("Dr Newer Applicant")
    assert reverse("manage:applicant", args=[programme.slug, older.pk]) in html


def test_decided_applications_are_listed_below_with_their_status(manager_client, programme, mentee):
    declined = MenteeMembershipFactory(programme=programme, status=MenteeMembership.Status.DECLINED)

    response = manager_client.get(reverse("manage:applicants", args=[programme.slug]))

    assert list(response.context["waiting"]) == []
    assert set(response.context["decided"]) == {declined, mentee.mentee_memberships.get()}
    html = response.content.decode()
    assert "No applications are waiting." in html
    assert "Not accepted" in html


def test_another_programmes_applications_are_not_listed(manager_client, programme, other_mentee):
    response = manager_client.get(reverse("manage:applicants", args=[programme.slug]))

    assert "Dr Bilal Qureshi" not in response.content.decode()
