"""Builders for monitoring tests: a mentee with a given journey and equality answers."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from journey.models import Feedback
from mentorship.models import MenteeMembership, Mentorship
from monitoring.models import EqualityAnswers
from tests.factories import MenteeProfileFactory, MentorProfileFactory

TODAY = datetime.date(2026, 6, 15)


def hand_built_mentee(
    programme,
    *,
    sex: str = "",
    ethnicity: str = "",
    disability: str = "",
    country: str = "NG",
    accepted_on: datetime.date | None = None,
    started_on: datetime.date | None = None,
    status: str | None = None,
    ended_on: datetime.date | None = None,
    ended_because: str = "",
    ratings: dict | None = None,
    mentor=None,
):
    """An accepted mentee of `programme`; with `started_on`, a mentorship with `status`; with
    `ratings`, the mentee's feedback; with any answer, their equality answers."""
    user = MenteeProfileFactory(qualification_country=country).user
    accepted_on = accepted_on or datetime.date(2026, 1, 1)
    MenteeMembership.objects.create(
        programme=programme,
        user=user,
        status=MenteeMembership.Status.ACCEPTED,
        decided_at=timezone.make_aware(datetime.datetime.combine(accepted_on, datetime.time(12))),
    )
    if sex or ethnicity or disability:
        EqualityAnswers.objects.create(
            user=user, sex=sex, ethnicity=ethnicity, disability=disability
        )
    if started_on is not None:
        mentorship = Mentorship.objects.create(
            programme=programme,
            mentor=mentor or MentorProfileFactory().user,
            mentee=user,
            status=status or Mentorship.Status.ACTIVE,
            started_on=started_on,
            planned_end_on=started_on + datetime.timedelta(weeks=16),
            ended_on=ended_on,
            ended_because=ended_because,
        )
        if ratings is not None:
            Feedback.objects.create(
                mentorship=mentorship, person=user, function_ratings=ratings, would_recommend="yes"
            )
    return user


@pytest.fixture
def build_mentee():
    return hand_built_mentee
