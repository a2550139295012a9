"""The calendar invitation: one event per meeting whose UID never changes, whose SEQUENCE
rises with each move, and which a cancellation removes; attached to the emails, and
downloadable from the page by the two people."""

import datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from journey.models import PlannedMeeting
from journey.services import planning
from mentorship.models import OutboxEmail
from mentorship.outbox import deliver
from tests.factories import new_mentorship

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def mentorship(mentee, mentor, programme, manager):
    return new_mentorship(mentee, mentor, programme, weeks_ago=2)


def at(month: int, day: int, hour: int, minute: int = 0) -> datetime.datetime:
    """A London time next year (so always in the future)."""
    year = timezone.localdate().year + 1
    return datetime.datetime(year, month, day, hour, minute, tzinfo=LONDON)


def invitation(kind: str, to_email: str, sequence: int | None = None):
    rows = OutboxEmail.objects.filter(kind=kind, to_email=to_email).order_by("pk")
    row = list(rows)[-1 if sequence is None else sequence]
    [attachment] = row.attachments
    return row, attachment, icalendar.Calendar.from_ical(attachment["content"])


def only_event(calendar):
    [event] = calendar.events
    return event


def test_the_invitation_is_a_calendar_request_with_everything_in_it(mentorship, mentee, mentor):
    planning.set_next_meeting(
        mentorship,
        by=mentee,
        starts_at=at(7, 14, 14, 30),  # British Summer Time: 13:30 UTC
        minutes=45,
        mode="in_person",
        where="Riverside Surgery, Room 4",
    )
    row, attachment, calendar = invitation("next_meeting_set", mentor.email)
    assert attachment["filename"] == "mentoring-meeting.ics"
    assert attachment["mimetype"] == "text/calendar; method=REQUEST"
    assert str(calendar["method"]) == "REQUEST" and "PRODID" in calendar

    event = only_event(calendar)
    planned = PlannedMeeting.objects.get()
    assert str(event["uid"]) == f"{planned.uid}@{urlsplit(settings.SITE_URL).hostname}"
    assert int(event["sequence"]) == 0
    year = at(1, 1, 0).year
    assert event.decoded("dtstart") == datetime.datetime(year, 7, 14, 13, 30, tzinfo=datetime.UTC)
    assert event.decoded("dtend") == datetime.datetime(year, 7, 14, 14, 15, tzinfo=datetime.UTC)
    assert "DTSTAMP" in event
    assert str(event["summary"]) == f"Mentoring: {mentee.full_name} and {mentor.full_name}"
    assert str(event["location"]) == "Riverside Surgery, Room 4"
    page = reverse("mentorship:mentorship_detail", args=[mentorship.pk])
    assert page in str(event["description"])
    assert str(event["organizer"]) == f"mailto:{mentee.email}"
    assert event["organizer"].params["CN"] == mentee.full_name
    attendees = {str(a) for a in event["attendee"]}
    assert attendees == {f"mailto:{mentee.email}", f"mailto:{mentor.email}"}
    # The email itself says when, in UK time.
    assert "2:30pm" in row.subject and "2:30pm" in row.body_text and "2:30pm" in row.body_html


def test_a_move_keeps_the_uid_and_raises_the_sequence(mentorship, mentee, mentor):
    planning.set_next_meeting(
        mentorship, by=mentee, starts_at=at(3, 10, 9), minutes=60, mode="video"
    )
    planning.set_next_meeting(
        mentorship, by=mentor, starts_at=at(3, 12, 11), minutes=60, mode="video"
    )
    _, _, first = invitation("next_meeting_set", mentee.email, 0)
    row, _, second = invitation("next_meeting_set", mentee.email, 1)
    before, after = only_event(first), only_event(second)
    assert str(after["uid"]) == str(before["uid"])
    assert int(after["sequence"]) == int(before["sequence"]) + 1
    assert after.decoded("dtstart") == at(3, 12, 11).astimezone(datetime.UTC)
    assert str(after["organizer"]) == f"mailto:{mentor.email}"
    assert "moved" in row.subject.lower()


def test_a_cancellation_is_a_calendar_cancel_of_the_same_event(mentorship, mentee, mentor):
    planning.set_next_meeting(
        mentorship, by=mentee, starts_at=at(3, 10, 9), minutes=60, mode="phone"
    )
    planning.cancel_next_meeting(mentorship, by=mentor)
    _, _, invited = invitation("next_meeting_set", mentor.email)
    _, attachment, cancelled = invitation("next_meeting_cancelled", mentor.email)
    assert attachment["mimetype"] == "text/calendar; method=CANCEL"
    assert str(cancelled["method"]) == "CANCEL"
    event = only_event(cancelled)
    assert str(event["status"]) == "CANCELLED"
    assert str(event["uid"]) == str(only_event(invited)["uid"])
    assert int(event["sequence"]) == 1


def test_the_email_sent_carries_the_calendar_file(mentorship, mentee, mentor):
    planning.set_next_meeting(
        mentorship, by=mentee, starts_at=at(3, 10, 9), minutes=60, mode="video"
    )
    row = OutboxEmail.objects.get(kind="next_meeting_set", to_email=mentor.email)
    assert deliver(row.pk) == "sent"
    [message] = [m for m in mail.outbox if m.to == [mentor.email]]
    [(filename, content, mimetype)] = message.attachments
    assert filename == "mentoring-meeting.ics" and mimetype.startswith("text/calendar")
    assert only_event(icalendar.Calendar.from_ical(content))["sequence"] == 0
    assert any(mime == "text/html" for _, mime in message.alternatives)


def test_the_two_people_download_the_next_meeting(mentorship, mentee, mentor_client):
    planned = planning.set_next_meeting(
        mentorship, by=mentee, starts_at=at(3, 10, 9), minutes=60, mode="video"
    )
    response = mentor_client.get(reverse("journey:next_meeting_ics", args=[mentorship.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "mentoring-meeting.ics" in response["Content-Disposition"]
    event = only_event(icalendar.Calendar.from_ical(response.content))
    assert str(event["uid"]).startswith(str(planned.uid))


def test_there_is_nothing_to_download_when_no_meeting_is_planned(mentorship, mentee_client):
    response = mentee_client.get(reverse("journey:next_meeting_ics", args=[mentorship.pk]))
    assert response.status_code == 404
