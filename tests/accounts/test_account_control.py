"""Account control on /accounts/settings/: change your name and title, add a role, stop
mentoring (refused while you have a mentee, so nobody is stranded)."""

from __future__ import annotations

import logging

import pytest

from accounts.models import User
from mentorship import services
from mentorship.models import (
    Action,
    Event,
    MentorMembership,
    MentorProfile,
    MentorRequest,
    Mentorship,
    OutboxEmail,
)
from mentorship.services.errors import NotAllowed
from mentorship.services.mentors import stop_mentoring
from tests.factories import MentorMembershipFactory, ProgrammeFactory, new_mentee, new_request

NAME_URL = "/accounts/settings/name/"
STOP_URL = "/accounts/settings/stop-mentoring/"


# --- Name and title -----------------------------------------------------------------------


def test_a_person_changes_their_name_and_title(mentee_client, mentee, caplog):
    with caplog.at_level(logging.INFO, logger="security"):
        response = mentee_client.post(NAME_URL, {"title": " Dr ", "full_name": "Amara  Okeke"})

    assert response.status_code == 302
    assert response.url == "/accounts/settings/"
    mentee.refresh_from_db()
    assert (mentee.title, mentee.full_name) == ("Dr", "Amara Okeke")
    page = mentee_client.get("/accounts/settings/").content.decode()
    assert "Your name is saved" in page
    assert "Dr Amara Okeke" in page
    log = [r.getMessage() for r in caplog.records if r.name == "security"]
    assert log == [f"name_changed user={mentee.pk} fields=full_name,title"]
    assert "Okeke" not in log[0]  # the log says what changed, never the name


def test_a_name_cannot_be_left_blank(mentee_client, mentee):
    response = mentee_client.post(NAME_URL, {"title": "", "full_name": "   "})

    assert response.status_code == 200
    assert "Enter your full name" in response.content.decode()
    mentee.refresh_from_db()
    assert mentee.full_name == "Dr Amara Nwosu"


def test_a_title_that_is_too_long_is_an_error_not_a_crash(mentee_client, mentee):
    response = mentee_client.post(NAME_URL, {"title": "x" * 31, "full_name": "Amara Nwosu"})

    assert response.status_code == 200
    assert "Enter 30 characters or fewer" in response.content.decode()
    mentee.refresh_from_db()
    assert mentee.title == ""


def test_a_mentor_renamed_is_found_by_the_new_name(mentor_client, mentor):
    mentor_client.post(NAME_URL, {"title": "Prof", "full_name": "Gareth Pryce-Llewellyn"})

    profile = MentorProfile.objects.get(user=mentor)
    assert "llewellyn" in profile.search_document.lower()


def test_the_name_page_needs_sign_in(client):
    response = client.get(NAME_URL)

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_saving_the_same_name_changes_nothing(mentee_client, mentee, caplog):
    with caplog.at_level(logging.INFO, logger="security"):
        mentee_client.post(NAME_URL, {"title": "", "full_name": "Dr Amara Nwosu"})

    assert not [r for r in caplog.records if "name_changed" in r.getMessage()]


# --- Roles --------------------------------------------------------------------------------


def test_a_mentee_is_offered_to_become_a_mentor_too(mentee_client):
    page = mentee_client.get("/accounts/settings/").content.decode()

    assert 'href="/profile/mentor/"' in page
    assert "Become a mentor" in page
    assert "Stop mentoring" not in page


def test_a_mentor_is_offered_to_find_a_mentor_and_to_stop(mentor_client):
    page = mentor_client.get("/accounts/settings/").content.decode()

    assert 'href="/profile/mentee/"' in page
    assert f'href="{STOP_URL}"' in page


def test_becoming_a_mentor_uses_the_mentor_profile_form(mentee_client, mentee):
    page = mentee_client.get("/profile/mentor/")

    assert page.status_code == 200
    assert not MentorProfile.objects.filter(user=mentee).exists()


# --- Stop mentoring -----------------------------------------------------------------------


def test_stopping_is_refused_while_the_mentor_has_a_mentee(
    mentor_client, mentor, active_mentorship
):
    page = mentor_client.get(STOP_URL).content.decode()
    assert "You have 1 current mentee" in page
    assert "Pause new requests" in page

    response = mentor_client.post(STOP_URL)

    assert response.status_code == 409
    assert "You have 1 current mentee" in response.content.decode()
    assert MentorProfile.objects.filter(user=mentor).exists()
    active_mentorship.refresh_from_db()
    assert active_mentorship.status == Mentorship.Status.ACTIVE
    assert MentorMembership.objects.get(user=mentor).status == MentorMembership.Status.APPROVED


def test_a_mentor_with_no_mentees_stops_and_their_waiting_requests_close(
    mentor_client, mentor, programme, mentee, other_programme
):
    waiting = new_request(mentee, mentor, programme, message="GP please")
    other = new_mentee(programme, "Dr Bola Adeyemi")
    held = services.accept_request(new_request(other, mentor, programme), by=mentor)
    MentorMembershipFactory(programme=other_programme, user=mentor)
    page = mentor_client.get(STOP_URL).content.decode()
    assert "the 2 requests waiting for you will close" in page
    assert programme.name in page and other_programme.name in page

    response = mentor_client.post(STOP_URL, follow=True)

    assert "You have stopped mentoring" in response.content.decode()
    assert "2 requests" in response.content.decode()
    assert not MentorProfile.objects.filter(user=mentor).exists()
    assert set(MentorMembership.objects.filter(user=mentor).values_list("status", flat=True)) == {
        MentorMembership.Status.REMOVED
    }
    for mentor_request in (waiting, held):
        mentor_request.refresh_from_db()
        assert mentor_request.status == MentorRequest.Status.WITHDRAWN
        event = Event.objects.filter(request=mentor_request).latest("pk")
        assert (event.action, event.note) == (
            Action.WITHDRAWN,
            "The mentor has left the programme.",
        )
    left = Event.objects.filter(mentor_membership__user=mentor, action=Action.LEFT)
    assert left.count() == 2
    assert set(left.values_list("note", flat=True)) == {"The mentor has stopped mentoring."}
    assert set(left.values_list("actor", flat=True)) == {mentor.pk}
    told = OutboxEmail.objects.filter(kind="request_closed")
    assert set(told.values_list("recipient", flat=True)) == {mentee.pk, other.pk}
    # The role has gone: no mentor pages, and the account page offers it again.
    assert mentor_client.get("/mentor/").status_code == 403
    assert "Become a mentor" in mentor_client.get("/accounts/settings/").content.decode()


def test_past_mentorships_stay_after_stopping(mentor_client, mentor, active_mentorship, staff):
    services.end_mentorship(active_mentorship, by=staff, completed=True)

    mentor_client.post(STOP_URL)

    assert not MentorProfile.objects.filter(user=mentor).exists()
    active_mentorship.refresh_from_db()
    assert active_mentorship.status == Mentorship.Status.COMPLETED
    assert mentor_client.get(active_mentorship.get_absolute_url()).status_code == 200


def test_a_mentee_who_also_mentors_stays_a_mentee(mentor, programme, client):
    from tests.factories import MenteeProfileFactory

    MenteeProfileFactory(user=mentor)
    client.force_login(mentor)

    client.post(STOP_URL)

    assert not MentorProfile.objects.filter(user=mentor).exists()
    assert mentor.mentee_profile is not None
    assert client.get("/mentee/").status_code == 200


def test_only_the_mentor_can_stop_their_own_mentoring(mentor, outsider):
    with pytest.raises(NotAllowed):
        stop_mentoring(mentor, by=outsider)

    assert MentorProfile.objects.filter(user=mentor).exists()


def test_someone_who_is_not_a_mentor_is_sent_back_to_their_account(mentee_client):
    response = mentee_client.post(STOP_URL)

    assert response.status_code == 302
    assert response.url == "/accounts/settings/"


def test_a_mentor_matched_while_stopping_is_refused(mentor, mentee, programme, manager):
    """A manager approves a held request between the page and the button: the second check,
    made with the mentor's profile locked, refuses and nothing changes."""
    held = services.accept_request(new_request(mentee, mentor, programme), by=mentor)
    services.approve_request(held, by=manager)

    with pytest.raises(services.InvalidTransition, match="1 current mentee"):
        stop_mentoring(mentor, by=mentor)

    assert MentorProfile.objects.filter(user=mentor).exists()


def test_a_new_programme_mentor_list_after_stopping_needs_a_new_profile(mentor, programme):
    stop_mentoring(mentor, by=mentor)
    mentor = User.objects.get(pk=mentor.pk)

    with pytest.raises(NotAllowed, match="Create your mentor profile"):
        services.apply_as_mentor(mentor, ProgrammeFactory(slug="third"))
