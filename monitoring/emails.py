"""One function per email monitoring sends (the pattern of mentorship/emails.py): each knows
its recipients, its context and its exactly-once key, and writes outbox rows in the
caller's transaction."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from mentorship.outbox import queue_email

from .models import OutcomeSurvey


def outcome_survey(survey: OutcomeSurvey):
    """The mentee is asked the three outcome questions; once per survey."""
    mentorship = survey.mentorship
    url = settings.SITE_URL.rstrip("/") + reverse("monitoring:outcome_survey", args=[survey.pk])
    return queue_email(
        "outcome_survey",
        about=f"outcome-survey:{survey.pk}",
        recipients=[survey.mentee],
        context={
            "survey": survey,
            "mentorship": mentorship,
            "programme": mentorship.programme,
            "mentor": mentorship.mentor,
            "survey_url": url,
            "closes_on": survey.closes_on,
        },
    )
