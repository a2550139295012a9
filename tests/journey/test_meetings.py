"""The meeting log: either person logs a meeting, the other confirms it (on the page or in one
click from the email), and the running totals count meetings and confirmed hours against the
agreed cadence. The programme team sees dates, lengths and kinds, never the notes."""

import datetime
import re
import time

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from journey.models import Agreement, Meeting, MeetingKind, MeetingMode
from journey.services import meetings as services
from mentorship.models import Action, OutboxEmail
from mentorship.services.errors import InvalidTransition, NotAllowed
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _log(mentorship, by, *, days_ago=1, minutes=60, **extra):
    return services.log_meeting(
        mentorship,
        by=by,
        held_on=timezone.localdate() - datetime.timedelta(days=days_ago),
        minutes=minutes,
        mode=extra.pop("mode", MeetingMode.VIDEO),
        kind=extra.pop("kind", MeetingKind.ONE_TO_ONE),
        topics=extra.pop("topics", "Leadership"),
        notes=extra.pop("notes", "Talked about the PCN project."),
        **extra,
    )


def _signed_in(user) -> Client:
    browser = Client()
    browser.force_login(user)
    return browser


def _page(mentorship):
    return reverse("mentorship:mentorship_detail", args=[mentorship.pk])


def _link(meeting, person) -> str:
    return reverse("journey:confirm_meeting_link", args=[services.confirm_token(meeting, person)])


# --- Logging ----------------------------------------------------------------------------


def test_the_mentee_logs_a_meeting_and_the_mentor_is_emailed_a_one_click_link(
    active_mentorship, mentee, mentor
):
    meeting = _log(active_mentorship, mentee, days_ago=2, minutes=45)

    meeting.refresh_from_db()
    assert (meeting.logged_by, meeting.minutes, meeting.confirmed_at) == (mentee, 45, None)
    assert active_mentorship.events.filter(action=Action.MEETING_LOGGED, actor=mentee).exists()
    email = OutboxEmail.objects.get(kind="meeting_logged")
    assert email.to_email == mentor.email
    day = (
        meeting.held_on.strftime("%A ") + str(meeting.held_on.day) + meeting.held_on.strftime(" %B")
    )
    assert email.subject == f"{mentee.full_name} logged your meeting on {day} — confirm it"
    token = services.confirm_token(meeting, mentor)
    path = reverse("journey:confirm_meeting_link", args=[token])
    assert path in email.body_text and path in email.body_html


def test_the_log_note_names_the_date_length_and_kind_but_not_the_topics_or_notes(
    active_mentorship, mentor
):
    _log(active_mentorship, mentor, topics="Secret topic", notes="Secret notes")
    event = active_mentorship.events.get(action=Action.MEETING_LOGGED)
    assert "60 minutes, one-to-one" in event.note
    assert "Secret" not in event.note


def test_a_manager_cannot_log_a_meeting(active_mentorship, manager):
    with pytest.raises(NotAllowed):
        _log(active_mentorship, manager)
    assert not Meeting.objects.exists()


@pytest.mark.parametrize(
    "held_on, minutes",
    [
        (lambda m: timezone.localdate() + datetime.timedelta(days=1), 60),
        (lambda m: m.started_on - datetime.timedelta(days=1), 60),
        (lambda m: timezone.localdate(), 4),
        (lambda m: timezone.localdate(), 721),
    ],
    ids=["tomorrow", "before-the-start", "too-short", "too-long"],
)
def test_the_service_refuses_impossible_days_and_lengths(
    active_mentorship, mentee, held_on, minutes
):
    with pytest.raises(InvalidTransition):
        services.log_meeting(
            active_mentorship,
            by=mentee,
            held_on=held_on(active_mentorship),
            minutes=minutes,
            mode=MeetingMode.VIDEO,
            kind=MeetingKind.ONE_TO_ONE,
        )
    assert not Meeting.objects.exists()


def test_a_meeting_on_the_first_day_and_today_are_both_fine(active_mentorship, mentee):
    for day in (active_mentorship.started_on, timezone.localdate()):
        services.log_meeting(
            active_mentorship,
            by=mentee,
            held_on=day,
            minutes=5,
            mode=MeetingMode.PHONE,
            kind=MeetingKind.ONE_TO_ONE,
        )
    assert Meeting.objects.count() == 2


def test_no_meeting_is_logged_once_the_mentorship_has_ended(active_mentorship, mentee):
    from mentorship.services import end_mentorship

    end_mentorship(active_mentorship, by=mentee, completed=False, reason="Moved away")
    with pytest.raises(InvalidTransition):
        _log(active_mentorship, mentee)


def test_the_page_logs_a_meeting(active_mentorship, mentee, mentor):
    response = _signed_in(mentee).post(
        reverse("journey:log_meeting", args=[active_mentorship.pk]),
        {
            "held_on": (timezone.localdate() - datetime.timedelta(days=1)).isoformat(),
            "minutes": "90",
            "mode": MeetingMode.SHADOWING,
            "kind": MeetingKind.CLINIC,
            "topics": "Frailty clinic",
            "notes": "Saw how the GP runs the clinic.",
        },
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#meetings")
    meeting = Meeting.objects.get()
    assert (meeting.kind, meeting.minutes, meeting.logged_by) == (MeetingKind.CLINIC, 90, mentee)


def test_a_future_date_is_a_form_error_and_nothing_is_saved(active_mentorship, mentee):
    response = _signed_in(mentee).post(
        reverse("journey:log_meeting", args=[active_mentorship.pk]),
        {
            "held_on": (timezone.localdate() + datetime.timedelta(days=3)).isoformat(),
            "minutes": "60",
            "mode": MeetingMode.VIDEO,
            "kind": MeetingKind.ONE_TO_ONE,
            "action_1_text": "Read the GP curriculum",
            "action_1_owner": str(mentee.pk),
        },
    )
    assert response.status_code == 400
    assert "The date of the meeting must be today or in the past." in response.content.decode()
    assert 'href="#id_held_on"' in response.content.decode()
    assert not Meeting.objects.exists()
    assert not active_mentorship.action_points.exists()
    assert not OutboxEmail.objects.filter(kind="meeting_logged").exists()


def test_an_outsider_and_a_manager_get_404_on_the_log_page(
    active_mentorship, outsider, manager_client
):
    url = reverse("journey:log_meeting", args=[active_mentorship.pk])
    assert _signed_in(outsider).get(url).status_code == 404
    assert manager_client.get(url).status_code == 404


# --- Confirming -------------------------------------------------------------------------


def test_the_person_who_logged_it_cannot_confirm_their_own_meeting(
    active_mentorship, mentee, mentor
):
    meeting = _log(active_mentorship, mentee)
    with pytest.raises(NotAllowed):
        services.confirm_meeting(meeting, by=mentee)
    meeting.refresh_from_db()
    assert meeting.confirmed_at is None


def test_the_other_person_confirms_it_once(active_mentorship, mentee, mentor):
    meeting = _log(active_mentorship, mentee)
    services.confirm_meeting(meeting, by=mentor)
    meeting.refresh_from_db()
    assert meeting.confirmed_by == mentor
    first = meeting.confirmed_at
    assert first is not None

    with pytest.raises(InvalidTransition):
        services.confirm_meeting(meeting, by=mentor)
    meeting.refresh_from_db()
    assert meeting.confirmed_at == first
    assert active_mentorship.events.filter(action=Action.MEETING_CONFIRMED).count() == 1


def test_a_manager_cannot_confirm_a_meeting(active_mentorship, mentee, manager):
    meeting = _log(active_mentorship, mentee)
    with pytest.raises(NotAllowed):
        services.confirm_meeting(meeting, by=manager)


def test_the_page_offers_the_confirm_button_only_to_the_other_person(
    active_mentorship, mentee, mentor
):
    meeting = _log(active_mentorship, mentee)
    url = reverse("journey:confirm_meeting", args=[active_mentorship.pk, meeting.pk])
    assert url not in _signed_in(mentee).get(_page(active_mentorship)).content.decode()
    mentor_browser = _signed_in(mentor)
    assert url in mentor_browser.get(_page(active_mentorship)).content.decode()

    response = mentor_browser.post(url)
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.confirmed_by == mentor


def test_confirming_your_own_meeting_on_the_page_says_why_not(active_mentorship, mentee):
    meeting = _log(active_mentorship, mentee)
    response = _signed_in(mentee).post(
        reverse("journey:confirm_meeting", args=[active_mentorship.pk, meeting.pk])
    )
    assert response.status_code == 403
    assert "confirms it" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.confirmed_at is None


# --- The one-click link -----------------------------------------------------------------


def test_opening_the_link_shows_a_page_with_one_button_and_changes_nothing(
    active_mentorship, mentee, mentor
):
    meeting = _log(active_mentorship, mentee)
    link = _link(meeting, mentor)
    response = _signed_in(mentor).get(link)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Confirm the meeting" in html
    assert re.search(r'<form method="post" action="' + re.escape(link) + '"', html)
    meeting.refresh_from_db()
    assert meeting.confirmed_at is None


def test_the_button_on_the_link_page_confirms(active_mentorship, mentee, mentor):
    meeting = _log(active_mentorship, mentee)
    response = _signed_in(mentor).post(_link(meeting, mentor))
    assert response.status_code == 302
    assert response["Location"] == _page(active_mentorship) + "#meetings"
    meeting.refresh_from_db()
    assert meeting.confirmed_by == mentor


def test_the_link_asks_a_signed_out_person_to_sign_in(client, active_mentorship, mentee, mentor):
    meeting = _log(active_mentorship, mentee)
    response = client.post(_link(meeting, mentor))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
    meeting.refresh_from_db()
    assert meeting.confirmed_at is None


def test_a_tampered_link_is_refused(active_mentorship, mentee, mentor):
    meeting = _log(active_mentorship, mentee)
    token = services.confirm_token(meeting, mentor)
    tampered = reverse("journey:confirm_meeting_link", args=["x" + token[1:]])
    browser = _signed_in(mentor)
    assert browser.get(tampered).status_code == 400
    assert browser.post(tampered).status_code == 400
    meeting.refresh_from_db()
    assert meeting.confirmed_at is None


def test_a_link_for_another_meeting_cannot_be_forged_without_the_key(
    active_mentorship, mentee, mentor
):
    meeting = _log(active_mentorship, mentee)
    forged = signing.dumps(
        {"meeting": meeting.pk, "person": mentor.pk}, key="not-the-secret", salt="x"
    )
    response = _signed_in(mentor).post(reverse("journey:confirm_meeting_link", args=[forged]))
    assert response.status_code == 400
    meeting.refresh_from_db()
    assert meeting.confirmed_at is None


def test_an_expired_link_is_refused(active_mentorship, mentee, mentor, monkeypatch):
    meeting = _log(active_mentorship, mentee)
    long_ago = time.time() - services.CONFIRM_LINK_MAX_AGE.total_seconds() - 60
    with monkeypatch.context() as patched:
        patched.setattr(signing.time, "time", lambda: long_ago)
        link = _link(meeting, mentor)
    response = _signed_in(mentor).post(link)
    assert response.status_code == 400
    assert "expired" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.confirmed_at is None


def test_another_persons_link_is_a_404(active_mentorship, mentee, mentor, manager_client):
    meeting = _log(active_mentorship, mentee)
    link = _link(meeting, mentor)
    assert _signed_in(mentee).post(link).status_code == 404
    assert manager_client.post(link).status_code == 404
    assert _signed_in(UserFactory()).get(link).status_code == 404
    meeting.refresh_from_db()
    assert meeting.confirmed_at is None


def test_the_logger_cannot_confirm_with_a_link_made_out_to_themselves(active_mentorship, mentee):
    meeting = _log(active_mentorship, mentee)
    response = _signed_in(mentee).post(_link(meeting, mentee))
    assert response.status_code == 403
    meeting.refresh_from_db()
    assert meeting.confirmed_at is None


def test_opening_the_link_again_after_confirming_says_so(active_mentorship, mentee, mentor):
    meeting = _log(active_mentorship, mentee)
    browser = _signed_in(mentor)
    browser.post(_link(meeting, mentor))
    response = browser.get(_link(meeting, mentor))
    assert response.status_code == 200
    assert "already confirmed" in response.content.decode()


# --- Totals -----------------------------------------------------------------------------


def test_totals_count_meetings_confirmed_hours_and_expected_meetings(
    active_mentorship, mentee, mentor
):
    # Three weeks in at the programme's weekly cadence: three meetings expected.
    first = _log(active_mentorship, mentee, days_ago=14, minutes=60)
    second = _log(active_mentorship, mentor, days_ago=7, minutes=30)
    _log(active_mentorship, mentee, days_ago=1, minutes=45)
    services.confirm_meeting(first, by=mentor)
    services.confirm_meeting(second, by=mentee)

    totals = services.totals(active_mentorship)
    assert (totals.meetings, totals.confirmed, totals.unconfirmed) == (3, 2, 1)
    assert totals.confirmed_minutes == 90
    assert totals.confirmed_hours == 1.5
    assert (totals.cadence, totals.expected) == ("weekly", 3)
    assert totals.last_confirmed_on == second.held_on


def test_totals_follow_the_agreed_cadence_over_the_programmes(active_mentorship, mentee):
    Agreement.objects.create(
        mentorship=active_mentorship,
        cadence="fortnightly",
        duration_weeks=16,
        proposed_by=mentee,
        proposed_at=timezone.now(),
    )
    totals = services.totals(active_mentorship)
    assert (totals.cadence, totals.expected, totals.confirmed_minutes) == ("fortnightly", 1, 0)


def test_the_page_shows_the_totals(active_mentorship, mentee, mentor):
    meeting = _log(active_mentorship, mentee, minutes=90)
    services.confirm_meeting(meeting, by=mentor)
    html = _signed_in(mentee).get(_page(active_mentorship)).content.decode()
    assert "1.5 hours" in html
    assert "Meeting weekly: 3 meetings expected so far" in html


# --- Who sees what ----------------------------------------------------------------------


def test_managers_see_dates_lengths_and_kinds_but_not_topics_or_notes(
    active_mentorship, mentee, mentor, manager_client
):
    _log(
        active_mentorship,
        mentee,
        minutes=75,
        kind=MeetingKind.HOME_VISITS,
        topics="Frailty and falls",
        notes="We talked about my confidence with home visits.",
    )
    html = manager_client.get(_page(active_mentorship)).content.decode()
    assert "75 minutes, home visits" in html
    assert "Not confirmed yet" in html
    assert "Frailty and falls" not in html
    assert "confidence with home visits" not in html

    for person in (mentee, mentor):
        html = _signed_in(person).get(_page(active_mentorship)).content.decode()
        assert "Frailty and falls" in html
        assert "confidence with home visits" in html
