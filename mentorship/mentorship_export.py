"""The mentorships of a programme with their meetings and hours, for the managers' download.

The running totals are the journey's (`journey.services.meetings.totals`: meetings logged
and confirmed, confirmed time, meetings the agreed cadence expects by now), counted here for
every mentorship in one query rather than one query each. A test keeps the two in step.
No private words: meeting notes and topics are never read.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.db.models import Count, IntegerField, Max, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from journey.models import CheckIn, Meeting
from journey.services.meetings import Totals, cadence_label, expected_meetings

from . import attention
from .models import Mentorship, Programme


def _per_mentorship(rows: QuerySet, value) -> Subquery:
    rows = rows.filter(mentorship_id=OuterRef("pk")).order_by().values("mentorship_id")
    return Subquery(rows.annotate(v=value).values("v")[:1])


def with_totals(mentorships: QuerySet[Mentorship]) -> QuerySet[Mentorship]:
    """Each mentorship annotated with what `totals_of` needs, one subquery per figure (a
    join per table would multiply the rows)."""
    meetings = Meeting.objects.all()
    confirmed = Meeting.objects.confirmed()
    return mentorships.annotate(
        agreed_cadence=Coalesce("agreement__cadence", "programme__meeting_cadence"),
        meetings_logged=Coalesce(_per_mentorship(meetings, Count("pk")), 0),
        meetings_confirmed=Coalesce(_per_mentorship(confirmed, Count("pk")), 0),
        confirmed_minutes=Coalesce(
            _per_mentorship(confirmed, Sum("minutes")), 0, output_field=IntegerField()
        ),
        last_confirmed_on=_per_mentorship(confirmed, Max("held_on")),
        check_ins_answered=Coalesce(_per_mentorship(CheckIn.objects.answered(), Count("pk")), 0),
    )


def totals_of(mentorship: Mentorship, today: datetime.date) -> Totals:
    """The journey's Totals, from a mentorship annotated by `with_totals`."""
    return Totals(
        meetings=mentorship.meetings_logged,
        confirmed=mentorship.meetings_confirmed,
        confirmed_minutes=mentorship.confirmed_minutes,
        expected=expected_meetings(mentorship, mentorship.agreed_cadence, today),
        cadence=mentorship.agreed_cadence,
        last_confirmed_on=mentorship.last_confirmed_on,
    )


HEADERS = (
    "Mentee",
    "Mentor",
    "Status",
    "Started",
    "Planned end",
    "Ended",
    "Agreed cadence",
    "Meetings logged",
    "Meetings confirmed",
    "Confirmed hours",
    "Expected meetings to date",
    "Last confirmed meeting",
    "Check-ins answered",
    "Needs attention",
)


def export_rows(programme: Programme, today: datetime.date | None = None) -> Iterator[list]:
    """One row per mentorship of the programme, newest first."""
    today = today or timezone.localdate()
    reasons = attention.reasons_by_mentorship(attention.rows_for_programme(programme))
    mentorships = (
        with_totals(Mentorship.objects.filter(programme=programme))
        .select_related("mentee", "mentor")
        .order_by("-started_on", "-pk")
    )
    for m in mentorships:
        totals = totals_of(m, today)
        yield [
            m.mentee.full_name,
            m.mentor.full_name,
            m.get_status_display(),
            m.started_on,
            m.planned_end_on,
            m.ended_on,
            cadence_label(totals.cadence),
            totals.meetings,
            totals.confirmed,
            totals.confirmed_hours,
            totals.expected,
            totals.last_confirmed_on,
            m.check_ins_answered,
            reasons.get(m.pk, ""),
        ]
