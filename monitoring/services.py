"""State changes of equality monitoring and outcome surveys.

Neither writes to the programme's event log on purpose: managers read that log, and an
entry saying that someone changed their equality answers or answered a survey would tie a
person to an answer the managers may only see in aggregate.
"""

from __future__ import annotations

import calendar
import datetime
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from mentorship.models import Mentorship
from mentorship.services.errors import InvalidTransition, NotAllowed

from . import emails
from .models import ETHNICITY_CHOICES, Disability, EqualityAnswers, OutcomeSurvey, Sex

# --- Equality monitoring -----------------------------------------------------------------


@transaction.atomic
def save_equality_answers(
    user: Any, *, sex: str = "", ethnicity: str = "", disability: str = ""
) -> EqualityAnswers:
    """A signed-in person saves their own answers; each may be blank (not answered)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        raise NotAllowed("Sign in to answer the equality questions.")
    if sex not in {"", *Sex.values}:
        raise InvalidTransition("Choose an answer about your sex from the list.")
    if ethnicity not in {"", *(code for code, _ in ETHNICITY_CHOICES)}:
        raise InvalidTransition("Choose an ethnic group from the list.")
    if disability not in {"", *Disability.values}:
        raise InvalidTransition("Choose an answer about disability from the list.")
    answers, _ = EqualityAnswers.objects.select_for_update().get_or_create(user=user)
    answers.sex, answers.ethnicity, answers.disability = sex, ethnicity, disability
    answers.save(update_fields=["sex", "ethnicity", "disability", "updated_at"])
    return answers


@transaction.atomic
def delete_equality_answers(user: Any) -> bool:
    """The person deletes their answers; nothing of them is kept. True if there were any."""
    deleted, _ = EqualityAnswers.objects.of(user).delete()
    return bool(deleted)


# --- Outcome surveys ---------------------------------------------------------------------


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later; the month's last day when it has no such day
    (31 August + 6 months = 28 or 29 February)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def surveyed_mentorships():
    """Mentorships whose mentee is asked about outcomes: completed or ended early, except a
    "not a good fit" ending followed by another mentorship in the same programme (the
    mentee is asked about the later one instead, so they are not asked twice about one
    scheme; one not re-paired is asked, so the figures are not only of those who stayed)."""
    later = Mentorship.objects.filter(
        programme=OuterRef("programme"),
        mentee=OuterRef("mentee"),
        started_on__gte=OuterRef("ended_on"),
    ).exclude(pk=OuterRef("pk"))
    return (
        Mentorship.objects.filter(
            status__in=[Mentorship.Status.COMPLETED, Mentorship.Status.ENDED_EARLY],
            ended_on__isnull=False,
            mentee__is_active=True,
        )
        .annotate(repaired=Exists(later))
        .exclude(ended_because=Mentorship.EndedBecause.NOT_A_GOOD_FIT, repaired=True)
    )


def open_due_outcome_surveys(today: datetime.date | None = None) -> int:
    """For beat (daily): on the day a mentorship's 6- or 12-month point comes, open that
    survey and email the mentee. A point whose 60 days have already passed (the job was not
    running) is skipped, so nobody is asked about a survey that has closed. Safe to run
    twice, or twice at once: returns how many surveys this run opened."""
    today = today or timezone.localdate()
    opened = 0
    window = datetime.timedelta(days=OutcomeSurvey.ANSWER_WITHIN_DAYS)
    for wave in OutcomeSurvey.Wave.values:
        # A wide date range first (months differ in length), the exact rule in Python.
        latest_end = add_months(today, -wave) + datetime.timedelta(days=3)
        earliest_end = add_months(today - window, -wave) - datetime.timedelta(days=3)
        candidates = (
            surveyed_mentorships()
            .filter(ended_on__gte=earliest_end, ended_on__lte=latest_end)
            .exclude(outcome_surveys__wave=wave)
            .values_list("pk", "ended_on")
        )
        for pk, ended_on in candidates.iterator(chunk_size=500):
            due_on = add_months(ended_on, wave)
            if due_on <= today < due_on + window:
                opened += _open_survey(pk, wave, due_on)
    return opened


@transaction.atomic
def _open_survey(mentorship_pk: int, wave: int, due_on: datetime.date) -> int:
    mentorship = Mentorship.objects.select_related("mentee", "programme").get(pk=mentorship_pk)
    # The unique constraint (mentorship, wave) is the last word: get_or_create re-reads the
    # row if another run inserted it first, and only the run that created it sends the email.
    survey, created = OutcomeSurvey.objects.get_or_create(
        mentorship=mentorship, wave=wave, defaults={"mentee": mentorship.mentee, "due_on": due_on}
    )
    if not created:
        return 0
    emails.outcome_survey(survey)
    return 1


def close_expired_outcome_surveys(today: datetime.date | None = None) -> int:
    """For beat (daily): a survey not answered within 60 days closes. Returns how many."""
    today = today or timezone.localdate()
    cutoff = today - datetime.timedelta(days=OutcomeSurvey.ANSWER_WITHIN_DAYS)
    return OutcomeSurvey.objects.filter(
        status=OutcomeSurvey.Status.OPEN, due_on__lte=cutoff
    ).update(status=OutcomeSurvey.Status.CLOSED, closed_at=timezone.now())


class AlreadyAnswered(InvalidTransition):
    """Answered once already (409)."""


class SurveyClosed(InvalidTransition):
    """More than 60 days have passed (409)."""


@transaction.atomic
def answer_outcome_survey(
    survey: OutcomeSurvey, *, by: Any, still_in_nhs: str, training: str, helped: str
) -> OutcomeSurvey:
    """Only the mentee it was sent to answers it, once, within 60 days of its due date."""
    survey = OutcomeSurvey.objects.select_for_update().get(pk=survey.pk)
    if by.pk != survey.mentee_id:
        raise NotAllowed("Only the mentee this survey was sent to can answer it.")
    if survey.status == OutcomeSurvey.Status.ANSWERED:
        raise AlreadyAnswered("You have already answered this survey. Thank you.")
    if not survey.is_open():
        raise SurveyClosed(
            "This survey closed 60 days after we sent it, so it can no longer be answered. "
            "Thank you all the same."
        )
    if still_in_nhs not in OutcomeSurvey.InNHS.values:
        raise InvalidTransition("Say whether you are still working in the NHS.")
    if training not in OutcomeSurvey.Training.values:
        raise InvalidTransition("Say whether you are in a training post or applying for one.")
    if helped not in OutcomeSurvey.Helped.values:
        raise InvalidTransition("Say whether the mentorship helped.")
    survey.still_in_nhs, survey.training, survey.helped = still_in_nhs, training, helped
    survey.status = OutcomeSurvey.Status.ANSWERED
    survey.answered_at = timezone.now()
    survey.save(update_fields=["still_in_nhs", "training", "helped", "status", "answered_at"])
    return survey
