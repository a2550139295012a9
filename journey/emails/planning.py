"""Emails about the next meeting: the invitation (and each update of it), the
cancellation and the reminder the day before. Each goes to both people with the .ics.

The exactly-once key holds the meeting's calendar UID and its SEQUENCE, so a move (a new
sequence) sends a new invitation, and running the reminder job twice sends one reminder."""

from __future__ import annotations

from mentorship.outbox import queue_email

from .. import invitations
from ..models import PlannedMeeting
from .common import about, context


def _about(planned: PlannedMeeting) -> str:
    return about(planned.mentorship, f"planned:{planned.uid}:{planned.sequence}")


def _send(kind: str, planned: PlannedMeeting, method: str, **extra):
    mentorship = planned.mentorship
    return queue_email(
        kind,
        about=_about(planned),
        recipients=[mentorship.mentee, mentorship.mentor],
        context=context(
            mentorship,
            planned=planned,
            when=invitations.when(planned.starts_at),
            set_by=planned.set_by,
            **extra,
        ),
        attachments=[invitations.attachment(planned, method)],
    )


def meeting_invitation(planned: PlannedMeeting, *, moved: bool):
    """Both people get the invitation; after a move, the update of it."""
    return _send("next_meeting_set", planned, invitations.REQUEST, moved=moved)


def meeting_cancelled(planned: PlannedMeeting, *, by):
    """Both people are told, with a cancellation their calendar understands."""
    return _send("next_meeting_cancelled", planned, invitations.CANCEL, cancelled_by=by)


def meeting_reminder(planned: PlannedMeeting):
    """The day before: both people are reminded, with the invitation again."""
    return _send("next_meeting_reminder", planned, invitations.REQUEST)


def reminder_key(planned: PlannedMeeting) -> str:
    """The reminder's exactly-once key, so the job can skip meetings already reminded."""
    return _about(planned)
