"""Calendar invitations (.ics, RFC 5545 / iTIP RFC 5546) for a planned meeting, built with
the `icalendar` library.

A calendar recognises an event by its UID and keeps the copy with the highest SEQUENCE, so
the UID never changes ("<uuid>@<site host>") and every move or cancellation raises the
sequence: the event in each person's calendar moves or disappears instead of doubling.
Times are written in UTC; each calendar shows them in its owner's time zone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format

from .models import PlannedMeeting

PRODID = "-//IMG Mentor Match//Mentoring meetings//EN"
FILENAME = "mentoring-meeting.ics"

REQUEST = "REQUEST"  # an invitation, or an update of one (by email)
CANCEL = "CANCEL"  # the meeting is off
PUBLISH = "PUBLISH"  # a file to add to a calendar by hand (the page's download)


def clock(moment: datetime) -> str:
    """A time as the NHS style writes it: 9am, 2:30pm, midday."""
    local = timezone.localtime(moment)
    if (local.hour, local.minute) == (12, 0):
        return "midday"
    if (local.hour, local.minute) == (0, 0):
        return "midnight"
    hour = local.hour % 12 or 12
    minutes = f":{local.minute:02d}" if local.minute else ""
    return f"{hour}{minutes}{'am' if local.hour < 12 else 'pm'}"


def when(moment: datetime) -> str:
    """ "Tuesday 24 November 2026 at 2:30pm", in the site's time zone (Europe/London)."""
    return f"{date_format(timezone.localtime(moment), 'l j F Y')} at {clock(moment)}"


def site_host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def event_uid(planned: PlannedMeeting) -> str:
    return f"{planned.uid}@{site_host()}"


def summary(planned: PlannedMeeting) -> str:
    mentorship = planned.mentorship
    return f"Mentoring: {mentorship.mentee.full_name} and {mentorship.mentor.full_name}"


def _address(user, **params: str) -> icalendar.vCalAddress:
    address = icalendar.vCalAddress(f"mailto:{user.email}")
    address.params["CN"] = icalendar.vText(user.full_name)
    for name, value in params.items():
        address.params[name] = icalendar.vText(value)
    return address


def calendar_file(planned: PlannedMeeting, method: str = REQUEST) -> str:
    """The .ics text for this meeting as it stands (its current sequence)."""
    mentorship = planned.mentorship
    page = settings.SITE_URL.rstrip("/") + mentorship.get_absolute_url()
    starts_at = planned.starts_at.astimezone(UTC)

    event = icalendar.Event()
    event.add("uid", event_uid(planned))
    event.add("sequence", planned.sequence)
    event.add("dtstamp", timezone.now().astimezone(UTC))
    event.add("dtstart", starts_at)
    event.add("dtend", starts_at + timedelta(minutes=planned.minutes))
    event.add("summary", summary(planned))
    location = planned.where or planned.get_mode_display()
    event.add("location", location)
    how = planned.get_mode_display()
    event.add(
        "description",
        f"{how}. {mentorship.programme.name}.\n\nThe mentorship's page: {page}",
    )
    event.add("status", "CANCELLED" if method == CANCEL else "CONFIRMED")
    event.add("transp", "OPAQUE")
    organiser = planned.set_by or mentorship.mentor
    event.add("organizer", _address(organiser))
    for person in (mentorship.mentee, mentorship.mentor):
        # Replies have nowhere useful to go (the email comes from the service), so no RSVP.
        event.add(
            "attendee",
            _address(person, ROLE="REQ-PARTICIPANT", PARTSTAT="NEEDS-ACTION", RSVP="FALSE"),
        )

    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    calendar.add_component(event)
    return calendar.to_ical().decode()


def attachment(planned: PlannedMeeting, method: str = REQUEST) -> dict[str, str]:
    """The .ics as an outbox attachment."""
    return {
        "filename": FILENAME,
        "mimetype": f"text/calendar; method={method}",
        "content": calendar_file(planned, method),
    }
