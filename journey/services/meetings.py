"""Meetings logged and confirmed, action points, and quiet mentorships noticed.

- Either person logs a meeting that happened; only the other person confirms it, once (from
  the page, or in one click from the email: a signed link that expires).
- Running totals count meetings and confirmed hours against the agreed cadence.
- No confirmed meeting for twice the agreed interval: both people get a gentle nudge, once
  per quiet spell. Still nothing a cadence later: the programme team sees it needs attention.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.db import transaction
from django.db.models import Count, Max, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format

from mentorship.models import Action, MeetingCadence, Mentorship, Programme
from mentorship.services.errors import InvalidTransition, NotAllowed
from mentorship.services.locking import lock_mentorship

from .. import access
from ..emails import meetings as emails
from ..models import ActionPoint, AgreedGoal, Agreement, Meeting, MeetingKind, MeetingMode
from ..wording import date_this_year

MIN_MINUTES = 5
MAX_MINUTES = 12 * 60
TOPICS_MAX_LENGTH = Meeting._meta.get_field("topics").max_length
NOTES_MAX_LENGTH = 5000
ACTION_MAX_LENGTH = ActionPoint._meta.get_field("text").max_length
MAX_ACTION_POINTS_PER_MEETING = 3

# Quiet: no confirmed meeting for this many agreed intervals nudges both people; one more
# interval after that and the programme team sees the mentorship needs attention.
NUDGE_AFTER_INTERVALS = 2
ATTENTION_AFTER_INTERVALS = NUDGE_AFTER_INTERVALS + 1

# The one-click confirmation link in the email.
CONFIRM_LINK_SALT = "journey.meetings.confirm"
CONFIRM_LINK_MAX_AGE = datetime.timedelta(days=30)


@dataclass(frozen=True)
class ActionPointLine:
    """One action point as entered with a meeting."""

    text: str
    owner: Any
    due_on: datetime.date | None = None
    goal: AgreedGoal | None = None


# --- Reads ------------------------------------------------------------------------------


def agreed_cadence(mentorship: Mentorship) -> str:
    """The agreement's cadence if there is an agreement, else the programme's."""
    cadence = (
        Agreement.objects.filter(mentorship=mentorship).values_list("cadence", flat=True).first()
    )
    return cadence or mentorship.programme.meeting_cadence


def cadence_label(cadence: str) -> str:
    """ "weekly", "every 2 weeks", "monthly"."""
    return MeetingCadence(cadence).label.lower()


@dataclass(frozen=True)
class Totals:
    meetings: int
    confirmed: int
    confirmed_minutes: int
    expected: int
    cadence: str
    last_confirmed_on: datetime.date | None

    @property
    def confirmed_hours(self) -> float:
        return round(self.confirmed_minutes / 60, 1)

    @property
    def cadence_label(self) -> str:
        return cadence_label(self.cadence)

    @property
    def unconfirmed(self) -> int:
        return self.meetings - self.confirmed


def expected_meetings(mentorship: Mentorship, cadence: str, today: datetime.date) -> int:
    """One meeting per full agreed interval from the start to today (or the end)."""
    until = min(today, mentorship.ended_on or mentorship.planned_end_on or today)
    days = max((until - mentorship.started_on).days, 0)
    return days // MeetingCadence.interval_days(cadence)


def totals(mentorship: Mentorship, today: datetime.date | None = None) -> Totals:
    """Meetings logged and confirmed, confirmed time, and how many meetings the agreed
    cadence expects by now (one per full interval since the start, up to the end)."""
    today = today or timezone.localdate()
    confirmed = Q(confirmed_at__isnull=False)
    counts = Meeting.objects.filter(mentorship=mentorship).aggregate(
        meetings=Count("pk"),
        confirmed=Count("pk", filter=confirmed),
        confirmed_minutes=Coalesce(Sum("minutes", filter=confirmed), 0),
        last_confirmed_on=Max("held_on", filter=confirmed),
    )
    cadence = agreed_cadence(mentorship)
    return Totals(
        meetings=counts["meetings"],
        confirmed=counts["confirmed"],
        confirmed_minutes=counts["confirmed_minutes"],
        expected=expected_meetings(mentorship, cadence, today),
        cadence=cadence,
        last_confirmed_on=counts["last_confirmed_on"],
    )


def _with_quiet_since(mentorships: QuerySet[Mentorship]) -> QuerySet[Mentorship]:
    """Each mentorship with its agreed cadence and the day its quiet spell began: the last
    confirmed meeting, or the start if there is none."""
    return mentorships.annotate(
        agreed_cadence=Coalesce("agreement__cadence", "programme__meeting_cadence"),
        quiet_since=Coalesce(
            Max("meetings__held_on", filter=Q(meetings__confirmed_at__isnull=False)),
            "started_on",
        ),
    )


def quiet_mentorships(
    mentorships: QuerySet[Mentorship], *, intervals: int, today: datetime.date
) -> QuerySet[Mentorship]:
    """Active, not paused, and no confirmed meeting for `intervals` agreed intervals."""
    quiet_for = Q()
    for cadence in MeetingCadence.values:
        days = intervals * MeetingCadence.interval_days(cadence)
        quiet_for |= Q(
            agreed_cadence=cadence, quiet_since__lte=today - datetime.timedelta(days=days)
        )
    return (
        _with_quiet_since(mentorships.active())
        .exclude(paused_until__gte=today)
        .filter(quiet_for)
        .select_related("programme", "mentee", "mentor")
        .order_by("quiet_since", "pk")
    )


def quiet_reason(
    quiet_since: datetime.date, cadence: str, *, started_on: datetime.date, today: datetime.date
) -> str:
    """ "No confirmed meeting since 3 November (agreed: weekly)"."""
    since = date_this_year(quiet_since, today)
    if quiet_since == started_on:
        since = f"it started on {since}"
    return f"No confirmed meeting since {since} (agreed: {cadence_label(cadence)})"


@dataclass(frozen=True)
class NeedsAttention:
    mentorship: Mentorship
    reason: str


def needs_attention(
    programme: Programme, today: datetime.date | None = None
) -> list[NeedsAttention]:
    """The programme's active mentorships still quiet one interval after the nudge, quietest
    first, each with why."""
    today = today or timezone.localdate()
    quiet = quiet_mentorships(
        Mentorship.objects.filter(programme=programme),
        intervals=ATTENTION_AFTER_INTERVALS,
        today=today,
    )
    return [
        NeedsAttention(
            m,
            quiet_reason(m.quiet_since, m.agreed_cadence, started_on=m.started_on, today=today),
        )
        for m in quiet
    ]


def attention_reason(mentorship: Mentorship, today: datetime.date | None = None) -> str:
    """Why this mentorship needs the programme team's attention, or "" if it does not."""
    today = today or timezone.localdate()
    found = quiet_mentorships(
        Mentorship.objects.filter(pk=mentorship.pk),
        intervals=ATTENTION_AFTER_INTERVALS,
        today=today,
    ).first()
    if found is None:
        return ""
    return quiet_reason(
        found.quiet_since, found.agreed_cadence, started_on=found.started_on, today=today
    )


# --- The one-click confirmation link ----------------------------------------------------


def confirm_token(meeting: Meeting, person: Any) -> str:
    """A signed link token that lets `person` confirm `meeting` (after signing in as them)."""
    return signing.dumps({"meeting": meeting.pk, "person": person.pk}, salt=CONFIRM_LINK_SALT)


def read_confirm_token(token: str) -> tuple[int, int]:
    """(meeting pk, person pk). Raises signing.BadSignature (SignatureExpired if too old)."""
    data = signing.loads(
        token, salt=CONFIRM_LINK_SALT, max_age=CONFIRM_LINK_MAX_AGE.total_seconds()
    )
    try:
        return int(data["meeting"]), int(data["person"])
    except (KeyError, TypeError, ValueError) as error:
        raise signing.BadSignature("Not a meeting confirmation link.") from error


# --- Transitions ------------------------------------------------------------------------


def check_meeting(
    mentorship: Mentorship,
    *,
    held_on: datetime.date,
    minutes: int,
    today: datetime.date | None = None,
) -> None:
    """The rules on a meeting's day and length (forms ask here too, to show them as errors)."""
    today = today or timezone.localdate()
    if held_on > today:
        raise InvalidTransition("The date of the meeting must be today or in the past.")
    if held_on < mentorship.started_on:
        start = date_format(mentorship.started_on, "j F Y")
        raise InvalidTransition(f"The date of the meeting must be on or after {start}, the start.")
    if not MIN_MINUTES <= minutes <= MAX_MINUTES:
        raise InvalidTransition(
            f"A meeting must be between {MIN_MINUTES} minutes and 12 hours (720 minutes)."
        )


def _check_action_point(mentorship: Mentorship, line: ActionPointLine) -> str:
    text = " ".join(line.text.split())
    if not text:
        raise InvalidTransition("Say what the action point is.")
    if len(text) > ACTION_MAX_LENGTH:
        raise InvalidTransition(
            f"Each action point must be {ACTION_MAX_LENGTH} characters or fewer."
        )
    if getattr(line.owner, "pk", None) not in (mentorship.mentee_id, mentorship.mentor_id):
        raise InvalidTransition("An action point belongs to the mentee or the mentor.")
    if line.goal is not None and line.goal.mentorship_id != mentorship.pk:
        raise InvalidTransition("Choose one of your agreed goals.")
    return text


def _create_action_point(
    mentorship: Mentorship, line: ActionPointLine, *, by: Any, meeting: Meeting | None
) -> ActionPoint:
    action_point = ActionPoint.objects.create(
        mentorship=mentorship,
        meeting=meeting,
        goal=line.goal,
        text=_check_action_point(mentorship, line),
        owner=line.owner,
        due_on=line.due_on,
        created_by=by,
    )
    # The wording is the two people's: the log says whose it is, not what it says.
    owner = "mentee" if line.owner.pk == mentorship.mentee_id else "mentor"
    mentorship.log_action(Action.ACTION_POINT_ADDED, by=by, note=f"For the {owner}")
    return action_point


@transaction.atomic
def log_meeting(
    mentorship: Mentorship,
    *,
    by: Any,
    held_on: datetime.date,
    minutes: int,
    mode: str,
    kind: str,
    topics: str = "",
    notes: str = "",
    action_points: Sequence[ActionPointLine] = (),
) -> Meeting:
    """Either person logs a meeting that happened (not in the future, not before the start),
    with up to three action points; the other person is asked to confirm it."""
    mentorship = lock_mentorship(mentorship)
    access.require_party(by, mentorship)
    access.require_active(mentorship)
    check_meeting(mentorship, held_on=held_on, minutes=minutes)
    if mode not in MeetingMode.values:
        raise InvalidTransition("Choose how you met.")
    if kind not in MeetingKind.values:
        raise InvalidTransition("Choose what kind of meeting it was.")
    topics, notes = " ".join(topics.split()), notes.strip()
    if len(topics) > TOPICS_MAX_LENGTH:
        raise InvalidTransition(f"Keep the topics to {TOPICS_MAX_LENGTH} characters or fewer.")
    if len(notes) > NOTES_MAX_LENGTH:
        raise InvalidTransition(f"Keep your notes to {NOTES_MAX_LENGTH} characters or fewer.")
    if len(action_points) > MAX_ACTION_POINTS_PER_MEETING:
        raise InvalidTransition(
            f"Add up to {MAX_ACTION_POINTS_PER_MEETING} action points with a meeting."
        )
    for line in action_points:
        _check_action_point(mentorship, line)
    meeting = Meeting.objects.create(
        mentorship=mentorship,
        held_on=held_on,
        minutes=minutes,
        mode=mode,
        kind=kind,
        topics=topics,
        notes=notes,
        logged_by=by,
    )
    # Dates, lengths and kinds are the programme team's to see; topics and notes are not.
    note = (
        f"Meeting on {date_format(held_on, 'j F Y')}, {minutes} minutes, "
        f"{meeting.get_kind_display().lower()}"
    )
    mentorship.log_action(Action.MEETING_LOGGED, by=by, note=note)
    for line in action_points:
        _create_action_point(mentorship, line, by=by, meeting=meeting)
    emails.meeting_logged(meeting, by=by)
    return meeting


@transaction.atomic
def confirm_meeting(meeting: Meeting, *, by: Any) -> Meeting:
    """The other person (not the one who logged it) confirms the meeting happened, once."""
    mentorship = lock_mentorship(meeting.mentorship)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    access.require_party(by, mentorship)
    access.require_active(mentorship)
    if meeting.logged_by_id == by.pk:
        raise NotAllowed(
            f"You logged this meeting, so {mentorship.other_party(by).full_name} confirms it."
        )
    if meeting.confirmed_at is not None:
        raise InvalidTransition("This meeting is already confirmed.")
    meeting.confirmed_by, meeting.confirmed_at = by, timezone.now()
    meeting.save(update_fields=["confirmed_by", "confirmed_at"])
    note = f"Meeting on {date_format(meeting.held_on, 'j F Y')}"
    mentorship.log_action(Action.MEETING_CONFIRMED, by=by, note=note)
    return meeting


@transaction.atomic
def add_action_point(
    mentorship: Mentorship,
    *,
    by: Any,
    text: str,
    owner: Any,
    due_on: datetime.date | None = None,
    goal: AgreedGoal | None = None,
) -> ActionPoint:
    """Either person adds an action point for one of the two, perhaps towards a goal."""
    mentorship = lock_mentorship(mentorship)
    access.require_party(by, mentorship)
    access.require_active(mentorship)
    line = ActionPointLine(text=text, owner=owner, due_on=due_on, goal=goal)
    return _create_action_point(mentorship, line, by=by, meeting=None)


@transaction.atomic
def mark_action_point_done(action_point: ActionPoint, *, by: Any) -> ActionPoint:
    """Either person marks an action point as done, once."""
    mentorship = lock_mentorship(action_point.mentorship)
    action_point = ActionPoint.objects.select_for_update().get(pk=action_point.pk)
    access.require_party(by, mentorship)
    access.require_active(mentorship)
    if action_point.done_at is not None:
        raise InvalidTransition("This action point is already done.")
    action_point.done_at = timezone.now()
    action_point.save(update_fields=["done_at"])
    mentorship.log_action(Action.ACTION_POINT_DONE, by=by)
    return action_point


# --- Beat -------------------------------------------------------------------------------


def nudge_quiet_mentorships(today: datetime.date | None = None) -> int:
    """Both people get a gentle nudge when no meeting is confirmed for twice the agreed
    interval; once per quiet spell (the key is the day the spell began). Returns how many
    mentorships were nudged."""
    today = today or timezone.localdate()
    quiet = quiet_mentorships(
        Mentorship.objects.all(), intervals=NUDGE_AFTER_INTERVALS, today=today
    )
    nudged = 0
    for found in quiet.values_list("pk", "quiet_since", "agreed_cadence"):
        nudged += _nudge(*found, today=today)
    return nudged


@transaction.atomic
def _nudge(pk: int, quiet_since: datetime.date, cadence: str, *, today: datetime.date) -> int:
    # Locked and checked again: a meeting confirmed meanwhile ends the quiet spell.
    mentorship = lock_mentorship(Mentorship(pk=pk))
    if not mentorship.is_active or mentorship.is_paused(today):
        return 0
    if (totals(mentorship, today).last_confirmed_on or mentorship.started_on) != quiet_since:
        return 0
    if not emails.quiet_nudge(mentorship, quiet_since=quiet_since, cadence=cadence):
        return 0  # this spell was nudged before
    reason = quiet_reason(quiet_since, cadence, started_on=mentorship.started_on, today=today)
    mentorship.log_action(Action.NUDGED_QUIET, note=reason)
    return 1
