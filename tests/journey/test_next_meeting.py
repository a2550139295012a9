"""The next meeting: either person sets it, moves it or cancels it; both are emailed; the
day before, both are reminded once."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from journey.models import PlannedMeeting
from journey.services import planning
from mentorship.models import Action, Mentorship, OutboxEmail
from mentorship.services import InvalidTransition, NotAllowed
from tests.factories import new_mentorship

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def in_days(days: int, hour: int = 14, minute: int = 30) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=LONDON)


def set_meeting(mentorship, by, starts_at=None, **kwargs):
    return planning.set_next_meeting(
        mentorship,
        by=by,
        starts_at=starts_at or in_days(7),
        minutes=kwargs.pop("minutes", 60),
        mode=kwargs.pop("mode", "video"),
        where=kwargs.pop("where", "https://meet.example.org/abc"),
    )


def emails(kind):
    return OutboxEmail.objects.filter(kind=kind).order_by("pk")


@pytest.fixture
def mentorship(mentee, mentor, programme, manager):
    return new_mentorship(mentee, mentor, programme, weeks_ago=2)


def page(mentorship):
    return reverse("mentorship:mentorship_detail", args=[mentorship.pk])


def form_url(mentorship):
    return reverse("journey:next_meeting", args=[mentorship.pk])


# --- The service ------------------------------------------------------------------------


def test_the_mentee_sets_the_next_meeting_and_both_are_invited(mentorship, mentee, mentor):
    planned = set_meeting(mentorship, mentee, where="Room 4, Riverside Surgery")

    planned.refresh_from_db()
    assert planned.sequence == 0 and planned.set_by == mentee and planned.cancelled_at is None
    assert planned.starts_at == in_days(7) and planned.where == "Room 4, Riverside Surgery"
    assert {e.to_email for e in emails("next_meeting_set")} == {mentee.email, mentor.email}
    [event] = mentorship.events.filter(action=Action.NEXT_MEETING_SET)
    assert event.actor == mentee and event.note.startswith("Set for ")
    assert not event.programme_team_only


def test_setting_again_moves_the_upcoming_meeting_instead_of_adding_one(mentorship, mentee, mentor):
    first = set_meeting(mentorship, mentee)
    moved = set_meeting(mentorship, mentor, starts_at=in_days(9, 9, 0), mode="in_person")

    assert moved.pk == first.pk and PlannedMeeting.objects.count() == 1
    moved.refresh_from_db()
    assert moved.uid == first.uid and moved.sequence == 1 and moved.set_by == mentor
    assert moved.starts_at == in_days(9, 9, 0) and moved.mode == "in_person"
    # A new invitation for each sequence, to both.
    assert emails("next_meeting_set").count() == 4
    notes = list(
        mentorship.events.filter(action=Action.NEXT_MEETING_SET).values_list("note", flat=True)
    )
    assert notes[1].startswith("Moved to ") and "9am" in notes[1]


def test_cancelling_raises_the_sequence_and_tells_both(mentorship, mentee, mentor):
    planned = set_meeting(mentorship, mentee)
    planning.cancel_next_meeting(mentorship, by=mentor)

    planned.refresh_from_db()
    assert planned.cancelled_at is not None and planned.sequence == 1
    assert {e.to_email for e in emails("next_meeting_cancelled")} == {mentee.email, mentor.email}
    assert mentorship.events.filter(action=Action.NEXT_MEETING_CANCELLED, actor=mentor).exists()
    assert planning.upcoming(mentorship) is None


def test_after_a_cancellation_a_new_meeting_has_a_new_uid(mentorship, mentee):
    cancelled = set_meeting(mentorship, mentee)
    planning.cancel_next_meeting(mentorship, by=mentee)
    again = set_meeting(mentorship, mentee)
    assert again.pk != cancelled.pk and again.uid != cancelled.uid and again.sequence == 0


def test_cancelling_with_no_meeting_planned_says_so(mentorship, mentee):
    with pytest.raises(InvalidTransition, match="no upcoming meeting"):
        planning.cancel_next_meeting(mentorship, by=mentee)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"starts_at": "past"}, "in the future"),
        ({"minutes": 2}, "between 5 minutes"),
        ({"minutes": 13 * 60}, "between 5 minutes"),
        ({"mode": "carrier_pigeon"}, "how you will meet"),
        ({"where": "x" * 301}, "300 characters"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_saved(mentorship, mentee, change, message):
    if change.get("starts_at") == "past":
        change["starts_at"] = timezone.now() - datetime.timedelta(minutes=1)
    with pytest.raises(InvalidTransition, match=message):
        set_meeting(mentorship, mentee, **change)
    assert not PlannedMeeting.objects.exists() and not emails("next_meeting_set").exists()


def test_a_manager_or_an_outsider_cannot_plan_the_meeting(mentorship, manager, outsider):
    for person in (manager, outsider):
        with pytest.raises(NotAllowed):
            set_meeting(mentorship, person)
    assert not PlannedMeeting.objects.exists()


def test_an_ended_mentorship_cannot_plan_a_meeting(mentorship, mentee):
    Mentorship.objects.filter(pk=mentorship.pk).update(status=Mentorship.Status.COMPLETED)
    with pytest.raises(InvalidTransition, match="completed"):
        set_meeting(mentorship, mentee)


# --- The reminder -----------------------------------------------------------------------


def _age(planned, hours):
    PlannedMeeting.objects.filter(pk=planned.pk).update(
        updated_at=timezone.now() - datetime.timedelta(hours=hours)
    )


def test_both_are_reminded_the_day_before_once(mentorship, mentee, mentor):
    planned = set_meeting(
        mentorship, mentee, starts_at=timezone.now() + datetime.timedelta(hours=23)
    )
    _age(planned, 24)

    assert planning.remind_planned_meetings() == 1
    assert planning.remind_planned_meetings() == 0
    reminders = emails("next_meeting_reminder")
    assert {e.to_email for e in reminders} == {mentee.email, mentor.email}
    assert all(e.attachments[0]["filename"] == "mentoring-meeting.ics" for e in reminders)


def test_a_meeting_more_than_a_day_ahead_is_not_reminded_yet(mentorship, mentee):
    planned = set_meeting(
        mentorship, mentee, starts_at=timezone.now() + datetime.timedelta(hours=30)
    )
    _age(planned, 24)
    assert planning.remind_planned_meetings() == 0
    later = timezone.now() + datetime.timedelta(hours=7)
    assert planning.remind_planned_meetings(now=later) == 1


def test_a_meeting_just_set_for_tomorrow_is_not_reminded_on_top_of_its_invitation(
    mentorship, mentee
):
    set_meeting(mentorship, mentee, starts_at=timezone.now() + datetime.timedelta(hours=20))
    assert planning.remind_planned_meetings() == 0


def test_a_moved_meeting_is_reminded_again(mentorship, mentee, mentor):
    soon = timezone.now() + datetime.timedelta(hours=20)
    planned = set_meeting(mentorship, mentee, starts_at=soon)
    _age(planned, 24)
    planning.remind_planned_meetings()
    planned = set_meeting(mentorship, mentor, starts_at=soon + datetime.timedelta(hours=2))
    _age(planned, 13)
    assert planning.remind_planned_meetings() == 1
    assert emails("next_meeting_reminder").count() == 4


def test_cancelled_meetings_and_ended_mentorships_are_not_reminded(mentorship, mentee):
    planned = set_meeting(
        mentorship, mentee, starts_at=timezone.now() + datetime.timedelta(hours=20)
    )
    planning.cancel_next_meeting(mentorship, by=mentee)
    _age(planned, 24)
    second = set_meeting(
        mentorship, mentee, starts_at=timezone.now() + datetime.timedelta(hours=21)
    )
    _age(second, 24)
    Mentorship.objects.filter(pk=mentorship.pk).update(status=Mentorship.Status.ENDED_EARLY)
    assert planning.remind_planned_meetings() == 0


def test_the_beat_job_runs_the_reminders(mentorship, mentee):
    from journey.jobs import remind_planned_meetings

    planned = set_meeting(
        mentorship, mentee, starts_at=timezone.now() + datetime.timedelta(hours=20)
    )
    _age(planned, 24)
    assert remind_planned_meetings.delay().get() == 1


# --- The pages --------------------------------------------------------------------------


def test_the_page_invites_the_two_people_to_set_the_next_meeting(
    mentorship, mentee_client, manager_client
):
    html = mentee_client.get(page(mentorship)).content.decode()
    assert 'id="next-meeting"' in html and "Set the next meeting" in html
    # The programme team sees the page but does not plan the two people's meetings.
    assert "Set the next meeting" not in manager_client.get(page(mentorship)).content.decode()


def test_the_mentee_sets_the_meeting_through_the_form(mentorship, mentee_client, mentee):
    day = timezone.localdate() + datetime.timedelta(days=5)
    response = mentee_client.post(
        form_url(mentorship),
        {
            "day": day.isoformat(),
            "time": "14:30",
            "minutes": "45",
            "mode": "in_person",
            "where": "Riverside Surgery",
        },
    )
    assert response.status_code == 302 and response.url.endswith("#next-meeting")
    planned = PlannedMeeting.objects.get()
    assert timezone.localtime(planned.starts_at).time() == datetime.time(14, 30)
    assert planned.minutes == 45 and planned.set_by == mentee

    html = mentee_client.get(page(mentorship)).content.decode()
    assert "2:30pm" in html and "Riverside Surgery" in html
    assert reverse("journey:next_meeting_ics", args=[mentorship.pk]) in html
    assert "Move the meeting" in html and "Cancel the meeting" in html


def test_the_move_form_is_filled_in_with_the_meeting(mentorship, mentee, mentor_client):
    set_meeting(mentorship, mentee, starts_at=in_days(3, 9, 15), where="Room 4")
    html = mentor_client.get(form_url(mentorship)).content.decode()
    assert "Move the next meeting" in html and 'value="09:15"' in html and 'value="Room 4"' in html


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({}, "Enter the date"),
        ({"day": "31/02/2027", "time": "10:00"}, "Enter a real date"),
        ({"day": "2020-01-01", "time": "10:00"}, "must be in the future"),
        ({"time": "25:00"}, "Enter a real time"),
        ({"minutes": "0"}, "at least 5 minutes"),
        ({"mode": "fax"}, "Select how you will meet from the list"),
    ],
)
def test_bad_input_is_a_form_error_and_nothing_is_saved(mentorship, mentee_client, data, error):
    day = (timezone.localdate() + datetime.timedelta(days=5)).isoformat()
    posted = {"day": day, "time": "10:00", "minutes": "60", "mode": "video", **data}
    if not data:
        posted.pop("day")
    response = mentee_client.post(form_url(mentorship), posted)
    assert response.status_code == 400
    assert error in response.content.decode() and "There is a problem" in response.content.decode()
    assert not PlannedMeeting.objects.exists()


def test_a_time_that_does_not_exist_when_the_clocks_go_forward_is_refused(
    mentorship, mentee_client
):
    # The last Sunday of March, some year ahead: 01:30 does not happen in London.
    year = timezone.localdate().year + 1
    day = max(
        datetime.date(year, 3, d) for d in range(25, 32) if datetime.date(year, 3, d).weekday() == 6
    )
    response = mentee_client.post(
        form_url(mentorship),
        {"day": day.isoformat(), "time": "01:30", "minutes": "60", "mode": "video"},
    )
    if day - timezone.localdate() > datetime.timedelta(days=366):
        pytest.skip("the next change of the clocks is more than a year ahead")
    assert response.status_code == 400 and "the clocks go forward" in response.content.decode()


def test_cancelling_from_the_page(mentorship, mentee, mentor_client):
    set_meeting(mentorship, mentee)
    response = mentor_client.post(reverse("journey:cancel_next_meeting", args=[mentorship.pk]))
    assert response.status_code == 302
    assert PlannedMeeting.objects.get().cancelled_at is not None


def test_cancelling_twice_from_the_page_is_a_clear_message(mentorship, mentor_client):
    response = mentor_client.post(reverse("journey:cancel_next_meeting", args=[mentorship.pk]))
    assert response.status_code == 409 and "no upcoming meeting" in response.content.decode()


def test_the_form_of_an_ended_mentorship_says_it_cannot_change(mentorship, mentee_client):
    Mentorship.objects.filter(pk=mentorship.pk).update(status=Mentorship.Status.COMPLETED)
    response = mentee_client.get(form_url(mentorship))
    assert response.status_code == 409 and "cannot change now" in response.content.decode()


@pytest.mark.parametrize("role", ["manager", "other_mentee", "outsider", "other_manager"])
def test_only_the_two_people_reach_the_planning_pages(mentorship, mentee, sign_in, role):
    set_meeting(mentorship, mentee)
    client = sign_in(role)
    assert client.get(form_url(mentorship)).status_code == 404
    ics = reverse("journey:next_meeting_ics", args=[mentorship.pk])
    assert client.get(ics).status_code == 404
    cancel = reverse("journey:cancel_next_meeting", args=[mentorship.pk])
    assert client.post(cancel).status_code == 404
    assert PlannedMeeting.objects.get().cancelled_at is None


def test_signed_out_people_are_sent_to_sign_in(mentorship, client):
    assert client.get(form_url(mentorship)).status_code == 302


def test_the_invitation_speaks_to_each_person(mentorship, mentee, mentor):
    set_meeting(mentorship, mentee, starts_at=in_days(7, 9, 0))
    to_mentee = emails("next_meeting_set").get(to_email=mentee.email)
    to_mentor = emails("next_meeting_set").get(to_email=mentor.email)
    assert "You have set your next mentoring meeting" in to_mentee.body_text
    assert f"{mentee.full_name} has set your next mentoring meeting" in to_mentor.body_text
    assert "9am" in to_mentor.subject and "#next-meeting" in to_mentor.body_html
