"""What a mentee or a mentor has to do next in their mentorships, for their home pages:
"Confirm Tuesday's meeting", "Your check-in is due", "Give feedback". One read per kind of
record, whatever the number of mentorships (a mentor may have several)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format

from mentorship.models import Mentorship

from .models import Agreement, CheckIn, Extension, Feedback, Meeting, PlannedMeeting
from .wording import weekday_date

# Feedback is asked for this long after a mentorship ends.
FEEDBACK_WINDOW = datetime.timedelta(days=90)


@dataclass(frozen=True)
class Due:
    text: str
    url: str
    mentorship: Mentorship


def due_for(user: Any, today: datetime.date | None = None) -> list[Due]:
    """Everything waiting on `user` as a mentee or a mentor, most pressing first."""
    today = today or timezone.localdate()
    mine = Mentorship.objects.filter(Q(mentee=user) | Q(mentor=user)).select_related(
        "mentee", "mentor", "programme"
    )
    active = {m.pk: m for m in mine.filter(status=Mentorship.Status.ACTIVE)}
    ended = {
        m.pk: m
        for m in mine.exclude(status=Mentorship.Status.ACTIVE).filter(
            ended_on__gte=today - FEEDBACK_WINDOW
        )
    }
    found: list[Due] = []
    if active:
        found += _check_ins(user, active, today)
        found += _meetings_to_confirm(user, active)
        found += _meetings_to_log(user, active, today)
        found += _agreements(user, active)
        found += _decisions(user, active)
    if ended:
        found += _feedback(user, ended)
    return found


def _other(mentorship: Mentorship, user: Any) -> str:
    return mentorship.other_party(user).full_name


def _check_ins(user: Any, active: dict[int, Mentorship], today: datetime.date) -> list[Due]:
    rows = CheckIn.objects.open().filter(person=user, mentorship__in=active, due_on__lte=today)
    return [
        Due(
            "Your check-in is due",
            active[c.mentorship_id].page_url("check-in"),
            active[c.mentorship_id],
        )
        for c in rows
    ]


def _meetings_to_confirm(user: Any, active: dict[int, Mentorship]) -> list[Due]:
    rows = Meeting.objects.filter(mentorship__in=active, confirmed_at__isnull=True).exclude(
        logged_by=user
    )
    return [
        Due(
            f"Confirm the meeting on {weekday_date(m.held_on)} that "
            f"{_other(active[m.mentorship_id], user)} logged",
            active[m.mentorship_id].page_url("meetings"),
            active[m.mentorship_id],
        )
        for m in rows
    ]


def _meetings_to_log(user: Any, active: dict[int, Mentorship], today: datetime.date) -> list[Due]:
    """A planned meeting in the last fortnight with no meeting logged on its day."""
    since = timezone.now() - datetime.timedelta(days=14)
    planned = PlannedMeeting.objects.filter(
        mentorship__in=active,
        cancelled_at__isnull=True,
        starts_at__gte=since,
        starts_at__lte=timezone.now(),
    )
    logged = set(
        Meeting.objects.filter(mentorship__in=active, held_on__gte=since.date()).values_list(
            "mentorship_id", "held_on"
        )
    )
    found = []
    for p in planned:
        day = timezone.localtime(p.starts_at).date()
        if (p.mentorship_id, day) not in logged:
            name = "today's" if day == today else f"{date_format(day, 'l')}'s"
            mentorship = active[p.mentorship_id]
            found.append(Due(f"Log {name} meeting", mentorship.page_url("meetings"), mentorship))
    return found


def _agreements(user: Any, active: dict[int, Mentorship]) -> list[Due]:
    agreements = {a.mentorship_id: a for a in Agreement.objects.filter(mentorship__in=active)}
    found = []
    for pk, mentorship in active.items():
        agreement = agreements.get(pk)
        if agreement is None:
            text = f"Agree with {_other(mentorship, user)} how you will work together"
        elif not _confirmed_by(agreement, mentorship, user):
            text = f"Confirm the mentoring agreement {_other(mentorship, user)} proposed"
        else:
            continue
        found.append(Due(text, mentorship.page_url("agreement"), mentorship))
    return found


def _confirmed_by(agreement: Agreement, mentorship: Mentorship, user: Any) -> bool:
    if user.pk == mentorship.mentee_id:
        return agreement.mentee_confirmed_at is not None
    return agreement.mentor_confirmed_at is not None


def _decisions(user: Any, active: dict[int, Mentorship]) -> list[Due]:
    """Proposals from the other person waiting for this one: completing, extending."""
    found = []
    for mentorship in active.values():
        proposer = mentorship.completion_proposed_by_id
        if proposer is not None and proposer != user.pk:
            found.append(
                Due(
                    f"{_other(mentorship, user)} asked to mark the mentorship as complete",
                    mentorship.page_url("end"),
                    mentorship,
                )
            )
    extensions = Extension.objects.filter(mentorship__in=active, decided_at__isnull=True).exclude(
        proposed_by=user
    )
    for extension in extensions:
        mentorship = active[extension.mentorship_id]
        found.append(
            Due(
                f"{_other(mentorship, user)} proposed to extend the mentorship to "
                f"{date_format(extension.new_end_on, 'j F Y')}",
                mentorship.page_url("course"),
                mentorship,
            )
        )
    return found


def _feedback(user: Any, ended: dict[int, Mentorship]) -> list[Due]:
    given = set(
        Feedback.objects.filter(mentorship__in=ended, person=user).values_list(
            "mentorship_id", flat=True
        )
    )
    return [
        Due(
            f"Give feedback on your mentorship with {_other(mentorship, user)}",
            mentorship.page_url("feedback"),
            mentorship,
        )
        for pk, mentorship in ended.items()
        if pk not in given
    ]


def next_meetings(user: Any) -> list[PlannedMeeting]:
    """The person's coming planned meetings, soonest first."""
    return list(
        PlannedMeeting.objects.filter(
            Q(mentorship__mentee=user) | Q(mentorship__mentor=user),
            mentorship__status=Mentorship.Status.ACTIVE,
            cancelled_at__isnull=True,
            starts_at__gte=timezone.now(),
        ).select_related("mentorship__mentee", "mentorship__mentor")
    )
