"""Celery beat's job for outcomes over time: thin, calls the services. Safe to run twice
(a survey is unique per mentorship and wave; its email is queued once per survey)."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(name="monitoring.jobs.outcome_surveys")
def outcome_surveys() -> int:
    """Close surveys past their 60 days, then open (and email) those due today (daily)."""
    services.close_expired_outcome_surveys()
    return services.open_due_outcome_surveys()
