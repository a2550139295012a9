"""The next meeting: set, moved or cancelled, with a calendar invitation and a reminder.

A mentorship has at most one upcoming planned meeting (not cancelled, not yet started).
Setting the next meeting while one is upcoming moves it: the same calendar UID with the
sequence raised, so both calendars update the event rather than add a second one."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from mentorship.models import Action, Mentorship, OutboxEmail
from mentorship.services.errors import InvalidTransition
from mentorship.services.locking import lock_mentorship

from ..access import require_active, require_party
from ..emails import planning as emails
from ..invitations import when
from ..models import MeetingMode, PlannedMeeting

# The reminder goes about a day ahead: the hourly job picks meetings that start within
# REMIND_AHEAD, so a regular run reminds 23-24 hours before the meeting...
REMIND_AHEAD = datetime.timedelta(hours=24)
# ...except a meeting set or moved this recently: its invitation has only just arrived.
FRESH_INVITATION = datetime.timedelta(hours=12)

MIN_MINUTES, MAX_MINUTES = 5, 12 * 60
WHERE_MAX_LENGTH = 300


def upcoming(mentorship: Mentorship) -> PlannedMeeting | None:
    """The next meeting that is still to come and not cancelled, if one is set."""
    return (
        PlannedMeeting.objects.filter(
            mentorship=mentorship, cancelled_at__isnull=True, starts_at__gt=timezone.now()
        )
        .order_by("starts_at")
        .first()
    )


def _describe(planned: PlannedMeeting) -> str:
    text = f"{when(planned.starts_at)}, {planned.minutes} minutes, {planned.get_mode_display()}"
    return f"{text}: {planned.where}" if planned.where else text


def _check_input(starts_at: datetime.datetime, minutes: int, mode: str, where: str) -> None:
    if timezone.is_naive(starts_at):
        raise InvalidTransition("Give the meeting's time with its time zone.")
    if starts_at <= timezone.now():
        raise InvalidTransition("The next meeting must be in the future.")
    if not MIN_MINUTES <= minutes <= MAX_MINUTES:
        raise InvalidTransition(f"A meeting lasts between {MIN_MINUTES} minutes and 12 hours.")
    if mode not in MeetingMode.values:
        raise InvalidTransition("Choose how you will meet from the list.")
    if len(where) > WHERE_MAX_LENGTH:
        raise InvalidTransition(f"Where you meet must be {WHERE_MAX_LENGTH} characters or fewer.")


@transaction.atomic
def set_next_meeting(
    mentorship: Mentorship,
    *,
    by: Any,
    starts_at: datetime.datetime,
    minutes: int,
    mode: str,
    where: str = "",
) -> PlannedMeeting:
    """Either person sets the next meeting of an active mentorship, in the future; if one
    is already upcoming, it moves (same UID, next sequence). Both get the invitation."""
    mentorship = lock_mentorship(mentorship)
    require_party(by, mentorship)
    require_active(mentorship)
    where = where.strip()
    _check_input(starts_at, minutes, mode, where)

    planned = upcoming(mentorship)
    moved = planned is not None
    if planned is None:
        planned = PlannedMeeting(mentorship=mentorship)
    else:
        planned.sequence += 1
    planned.starts_at = starts_at
    planned.minutes = minutes
    planned.mode = mode
    planned.where = where
    planned.set_by = by
    planned.save()
    mentorship.log_action(
        Action.NEXT_MEETING_SET,
        by=by,
        note=f"{'Moved to' if moved else 'Set for'} {_describe(planned)}",
    )
    emails.meeting_invitation(planned, moved=moved)
    return planned


@transaction.atomic
def cancel_next_meeting(mentorship: Mentorship, *, by: Any) -> PlannedMeeting:
    """Either person cancels the upcoming meeting of an active mentorship; both calendars
    are told (METHOD:CANCEL with the next sequence)."""
    mentorship = lock_mentorship(mentorship)
    require_party(by, mentorship)
    require_active(mentorship)
    planned = upcoming(mentorship)
    if planned is None:
        raise InvalidTransition("There is no upcoming meeting to cancel.")
    planned.sequence += 1
    planned.cancelled_at = timezone.now()
    planned.save(update_fields=["sequence", "cancelled_at", "updated_at"])
    mentorship.log_action(Action.NEXT_MEETING_CANCELLED, by=by, note=f"Was {_describe(planned)}")
    emails.meeting_cancelled(planned, by=by)
    return planned


def remind_planned_meetings(now: datetime.datetime | None = None) -> int:
    """Beat, hourly: remind both people about a day before each planned meeting of an
    active mentorship, once per meeting and sequence (a moved meeting is reminded again).
    Returns how many meetings were reminded."""
    now = now or timezone.now()
    due = PlannedMeeting.objects.filter(
        mentorship__status=Mentorship.Status.ACTIVE,
        cancelled_at__isnull=True,
        starts_at__gt=now,
        starts_at__lte=now + REMIND_AHEAD,
        updated_at__lte=now - FRESH_INVITATION,
    ).select_related("mentorship__mentee", "mentorship__mentor", "mentorship__programme", "set_by")
    reminded = 0
    for planned in due:
        key = emails.reminder_key(planned)
        if OutboxEmail.objects.filter(kind="next_meeting_reminder", object_key=key).exists():
            continue
        with transaction.atomic():
            if emails.meeting_reminder(planned):
                reminded += 1
    return reminded
