"""The daily job opens each outcome survey on the day it is due, once, and emails the mentee
once; one whose 60 days have passed is not opened; an unanswered one closes after 60 days."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings

from mentorship.models import Mentorship, OutboxEmail
from monitoring.jobs import outcome_surveys
from monitoring.models import OutcomeSurvey
from monitoring.services import (
    add_months,
    close_expired_outcome_surveys,
    open_due_outcome_surveys,
)

from .conftest import hand_built_mentee

D = datetime.date
ENDED = D(2025, 8, 31)


@pytest.fixture
def ended(programme):
    """A mentee whose mentorship completed on 31 August 2025."""
    mentee = hand_built_mentee(
        programme,
        started_on=D(2025, 5, 1),
        status=Mentorship.Status.COMPLETED,
        ended_on=ENDED,
    )
    return Mentorship.objects.get(mentee=mentee)


def _emails(mentorship):
    return OutboxEmail.objects.filter(kind="outcome_survey", to_email=mentorship.mentee.email)


def test_six_months_is_the_same_day_or_the_months_last_day():
    assert add_months(D(2025, 8, 31), 6) == D(2026, 2, 28)
    assert add_months(D(2025, 1, 15), 12) == D(2026, 1, 15)
    assert add_months(D(2023, 8, 31), 6) == D(2024, 2, 29)


def test_nothing_is_due_the_day_before_six_months(ended):
    assert open_due_outcome_surveys(D(2026, 2, 27)) == 0
    assert not OutcomeSurvey.objects.exists()


def test_the_six_month_survey_opens_on_the_day_and_emails_the_mentee(ended):
    assert open_due_outcome_surveys(D(2026, 2, 28)) == 1
    survey = OutcomeSurvey.objects.get()
    assert (survey.mentorship, survey.mentee, survey.wave) == (ended, ended.mentee, 6)
    assert survey.due_on == D(2026, 2, 28) and survey.status == "open"
    email = _emails(ended).get()
    assert f"/outcomes/{survey.pk}/" in email.body_text
    assert "3 short questions" in email.subject


def test_running_twice_makes_one_survey_and_one_email(ended):
    open_due_outcome_surveys(D(2026, 2, 28))
    assert open_due_outcome_surveys(D(2026, 2, 28)) == 0
    assert open_due_outcome_surveys(D(2026, 3, 1)) == 0
    assert OutcomeSurvey.objects.count() == 1
    assert _emails(ended).count() == 1


def test_the_twelve_month_survey_opens_on_its_day(ended):
    open_due_outcome_surveys(D(2026, 2, 28))
    assert open_due_outcome_surveys(D(2026, 8, 30)) == 0
    assert open_due_outcome_surveys(D(2026, 8, 31)) == 1
    assert set(OutcomeSurvey.objects.values_list("wave", flat=True)) == {6, 12}
    assert _emails(ended).count() == 2


def test_a_survey_whose_60_days_have_passed_is_not_opened(ended):
    # The job did not run for the 6-month point (say it was down): first run 61 days later.
    assert open_due_outcome_surveys(D(2026, 2, 28) + datetime.timedelta(days=60)) == 0
    assert open_due_outcome_surveys(D(2026, 2, 28) + datetime.timedelta(days=59)) == 1


def test_an_unanswered_survey_closes_after_60_days(ended):
    open_due_outcome_surveys(D(2026, 2, 28))
    survey = OutcomeSurvey.objects.get()
    assert close_expired_outcome_surveys(survey.due_on + datetime.timedelta(days=59)) == 0
    assert close_expired_outcome_surveys(survey.due_on + datetime.timedelta(days=60)) == 1
    survey.refresh_from_db()
    assert survey.status == "closed" and survey.closed_at is not None


def test_an_active_mentorship_is_not_surveyed(programme):
    hand_built_mentee(programme, started_on=D(2025, 1, 1))
    assert open_due_outcome_surveys(D(2026, 2, 28)) == 0


def test_ended_early_is_surveyed_and_not_a_good_fit_only_without_a_later_mentorship(programme):
    early = hand_built_mentee(
        programme,
        started_on=D(2025, 5, 1),
        status=Mentorship.Status.ENDED_EARLY,
        ended_because=Mentorship.EndedBecause.CIRCUMSTANCES,
        ended_on=ENDED,
    )
    alone = hand_built_mentee(
        programme,
        started_on=D(2025, 5, 1),
        status=Mentorship.Status.ENDED_EARLY,
        ended_because=Mentorship.EndedBecause.NOT_A_GOOD_FIT,
        ended_on=ENDED,
    )
    repaired = hand_built_mentee(
        programme,
        started_on=D(2025, 5, 1),
        status=Mentorship.Status.ENDED_EARLY,
        ended_because=Mentorship.EndedBecause.NOT_A_GOOD_FIT,
        ended_on=ENDED,
    )
    Mentorship.objects.create(
        programme=programme,
        mentor=Mentorship.objects.get(mentee=repaired).mentor,
        mentee=repaired,
        started_on=D(2025, 9, 15),
        planned_end_on=D(2026, 1, 5),
    )
    assert open_due_outcome_surveys(D(2026, 2, 28)) == 2
    surveyed = set(OutcomeSurvey.objects.values_list("mentee", flat=True))
    assert surveyed == {early.pk, alone.pk}


def test_the_beat_job_closes_and_opens(ended, monkeypatch):
    assert outcome_surveys.delay().get() == 0  # today is long after: nothing is due
    entry = next(
        e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == outcome_surveys.name
    )
    assert entry["schedule"] == 24 * 60 * 60.0
