"""The programme team's weekly summary: once a week, each programme's active managers get
what needs attention there (mentorship/attention.py), counts per kind and the longest
waiting rows with links.

Sent even when nothing needs attention: a manager who hears nothing cannot tell a quiet week
from a job that stopped running, and "nothing needs attention" is itself worth knowing.

Beat runs it hourly (mentorship/jobs.py); from Monday SEND_FROM_HOUR local time it sends
the week's summary to whoever has not had it. The outbox key holds the ISO week, so running
it twice, or every hour all week, sends one email per manager per programme per week.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from . import attention, emails
from .models import OutboxEmail, Programme

SEND_FROM_HOUR = 7  # local time on Monday: the summary waits for the working week


def iso_week(day: datetime.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def send_weekly_summaries(now: datetime.datetime | None = None) -> int:
    """Queue this week's summary for every active manager of every programme who has not had
    it yet; returns how many emails were queued."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    if local.isoweekday() == 1 and local.hour < SEND_FROM_HOUR:
        return 0
    week = iso_week(local.date())
    sent = OutboxEmail.objects.filter(
        kind="weekly_summary", object_key__endswith=f":{week}"
    ).values_list("object_key", "to_email")
    already = set(sent)
    queued = 0
    programmes = Programme.objects.filter(managers__is_active=True).distinct().order_by("pk")
    for programme in programmes.prefetch_related("managers"):
        key = f"weekly-summary:{programme.pk}:{week}"
        due = [
            manager
            for manager in programme.managers.all()
            if manager.is_active and (key, manager.email) not in already
        ]
        if not due:
            continue
        rows = attention.rows_for_programme(programme, now=now)
        with transaction.atomic():
            queued += len(emails.weekly_summary(programme, rows, week=week, recipients=due))
    return queued
