"""Celery beat's jobs: thin tasks that call the services. Registered by config/celery.py
(`autodiscover_tasks(related_name="jobs")`); their names are kept from when they lived in
tasks.py, so schedules and queued tasks still find them."""

from __future__ import annotations

from celery import shared_task

from . import summary
from .services import digests, periodic


@shared_task(name="mentorship.tasks.expire_requests")
def expire_requests() -> int:
    """Expire requests mentors have not answered in time (every 15 minutes)."""
    return periodic.expire_stale_requests()


@shared_task(name="mentorship.tasks.remind_mentors")
def remind_mentors() -> int:
    """Remind mentors once of requests waiting 3 days (hourly)."""
    return periodic.remind_mentors_of_waiting_requests()


@shared_task(name="mentorship.tasks.send_manager_digests")
def send_manager_digests() -> int:
    """Send programme managers their daily digest (hourly, at most one a day)."""
    return digests.send_manager_digests()


@shared_task(name="mentorship.jobs.send_weekly_summaries")
def send_weekly_summaries() -> int:
    """Send each programme's managers the week's needs-attention summary (hourly, once a week
    from Monday morning)."""
    return summary.send_weekly_summaries()
