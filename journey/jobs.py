"""Celery beat's jobs for the mentorship journey: thin tasks that call the services. Each is
safe to run twice (emails are queued once per key; rows record what was done)."""

from __future__ import annotations

from celery import shared_task

from .services import checkins, concerns, meetings, planning


@shared_task(name="journey.jobs.remind_planned_meetings")
def remind_planned_meetings() -> int:
    """Remind both people the day before a planned meeting (hourly)."""
    return planning.remind_planned_meetings()


@shared_task(name="journey.jobs.nudge_quiet_mentorships")
def nudge_quiet_mentorships() -> int:
    """Nudge both people when no meeting is confirmed for twice the agreed interval (daily)."""
    return meetings.nudge_quiet_mentorships()


@shared_task(name="journey.jobs.open_check_ins")
def open_check_ins() -> int:
    """Ask each person for their check-in when one of the programme's points comes (hourly)."""
    return checkins.open_due_check_ins()


@shared_task(name="journey.jobs.alert_overdue_concerns")
def alert_overdue_concerns() -> int:
    """Tell the programme's managers when a concern is not acknowledged in time (hourly)."""
    return concerns.alert_overdue_concerns()
