"""Emails about meetings: a logged meeting to confirm (to the other person, with a one-click
link), and a gentle nudge to both when a mentorship has gone quiet."""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse
from django.utils.formats import date_format

from mentorship.models import MeetingCadence, Mentorship
from mentorship.outbox import queue_email

from ..models import Meeting
from . import common


def _meetings_url(mentorship: Mentorship) -> str:
    return common.absolute(mentorship.page_url("meetings"))


def meeting_logged(meeting: Meeting, *, by: Any):
    """The other person is asked to confirm the meeting, in one click."""
    from ..services.meetings import confirm_token

    mentorship = meeting.mentorship
    other = mentorship.other_party(by)
    confirm_url = common.absolute(
        reverse("journey:confirm_meeting_link", args=[confirm_token(meeting, other)])
    )
    return queue_email(
        "meeting_logged",
        about=common.about(mentorship, f"meeting:{meeting.pk}:logged"),
        recipients=[other],
        context=common.context(
            mentorship,
            meeting=meeting,
            logger=by,
            day=date_format(meeting.held_on, "l j F"),
            confirm_url=confirm_url,
            meetings_url=_meetings_url(mentorship),
        ),
    )


def quiet_nudge(mentorship: Mentorship, *, quiet_since: datetime.date, cadence: str):
    """Both people, once per quiet spell (the key is the day it began)."""
    return queue_email(
        "quiet_nudge",
        about=common.about(mentorship, f"quiet:{quiet_since.isoformat()}"),
        recipients=[mentorship.mentee, mentorship.mentor],
        context=common.context(
            mentorship,
            quiet_since=quiet_since,
            since_start=quiet_since == mentorship.started_on,
            cadence=MeetingCadence(cadence).label.lower(),
            meetings_url=_meetings_url(mentorship),
        ),
    )
