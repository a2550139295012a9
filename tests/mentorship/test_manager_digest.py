"""The programme team's daily digest of new applications and mentors to vet."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from mentorship.models import MenteeMembership, MentorMembership, OutboxEmail
from mentorship.services.digests import send_manager_digests
from tests.factories import MenteeMembershipFactory, MentorMembershipFactory

pytestmark = pytest.mark.django_db


def at(hour: int, day_offset: int = 0) -> datetime:
    today = timezone.localdate() + timedelta(days=day_offset)
    return timezone.make_aware(datetime(today.year, today.month, today.day, hour))


def test_one_digest_a_day_lists_applications_and_mentors_to_vet(manager, programme):
    for _ in range(2):
        MenteeMembershipFactory(programme=programme, status=MenteeMembership.Status.APPLIED)
    MentorMembershipFactory(programme=programme, status=MentorMembership.Status.APPLIED)

    send_manager_digests(now=at(9))
    send_manager_digests(now=at(10))  # the next hourly run sends nothing new

    [digest] = OutboxEmail.objects.filter(kind="manager_digest")
    assert digest.to_email == manager.email
    assert "Applications waiting: 2" in digest.body_text
    assert "Mentors to vet: 1" in digest.body_text
    assert f"/manage/{programme.slug}/applicants/" in digest.body_text


def test_no_digest_before_the_working_day_or_when_nothing_is_new(manager, programme):
    MenteeMembershipFactory(programme=programme, status=MenteeMembership.Status.APPLIED)

    send_manager_digests(now=at(5))
    assert not OutboxEmail.objects.exists()

    send_manager_digests(now=at(9, day_offset=3))  # still waiting, but nothing new for days
    assert not OutboxEmail.objects.exists()


def test_a_manager_is_not_told_about_another_programme(manager, other_manager, other_programme):
    MenteeMembershipFactory(programme=other_programme, status=MenteeMembership.Status.APPLIED)

    send_manager_digests(now=at(9))

    assert list(OutboxEmail.objects.values_list("to_email", flat=True)) == [other_manager.email]
