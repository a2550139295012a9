"""Asking a mentor from the pages: the ask form on the directory and the mentor's page, the
ask page, and what posting it leaves. The rules themselves: test_request_mentor.py."""

import pytest
from django.urls import reverse

from mentorship.models import Action, MentorRequest
from tests.factories import new_mentor
from tests.mentorship.helpers import assert_field_error

pytestmark = pytest.mark.django_db
Status = MentorRequest.Status


def ask_url(programme, mentor):
    return reverse("mentorship:request_mentor", args=[programme.slug, mentor.pk])


def test_the_directory_card_has_an_ask_form_for_the_mentee(mentee_client, programme, mentor):
    response = mentee_client.get(reverse("mentorship:directory", args=[programme.slug]))

    html = response.content.decode()
    assert f'action="{ask_url(programme, mentor)}"' in html
    assert 'name="message"' in html
    assert "Ask this mentor" in html


def test_the_mentor_page_has_the_ask_form_instead_of_the_placeholder(
    mentee_client, programme, mentor
):
    response = mentee_client.get(
        reverse("mentorship:mentor_detail", args=[programme.slug, mentor.pk])
    )

    html = response.content.decode()
    assert f'action="{ask_url(programme, mentor)}"' in html
    assert "opens soon" not in html
    assert "% match for you" in html


def test_managers_see_no_ask_form(manager_client, programme, mentor):
    response = manager_client.get(
        reverse("mentorship:mentor_detail", args=[programme.slug, mentor.pk])
    )

    assert response.status_code == 200
    assert ask_url(programme, mentor) not in response.content.decode()


def test_the_ask_page_shows_the_score_and_reasons(mentee_client, programme, mentor):
    response = mentee_client.get(ask_url(programme, mentor))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Ask Dr Gareth Pryce to mentor you" in html
    assert "% match" in html
    assert "app-reasons" in html


def test_a_mentee_asks_a_mentor_with_a_message(mentee_client, mentee, mentor, programme):
    response = mentee_client.post(
        ask_url(programme, mentor), {"message": "I would love to shadow your clinics."}
    )

    mentor_request = MentorRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("mentorship:request_detail", args=[mentor_request.pk])
    assert (mentor_request.mentee, mentor_request.mentor) == (mentee, mentor)
    assert mentor_request.status == Status.PENDING
    assert mentor_request.message == "I would love to shadow your clinics."
    assert mentor_request.score is not None
    assert mentor_request.reasons
    [event] = mentor_request.events.all()
    assert (event.action, event.actor, event.to_status) == (Action.REQUESTED, mentee, "pending")
    assert event.note == "I would love to shadow your clinics."

    page = mentee_client.get(response["Location"]).content.decode()
    assert "Your request has been sent to Dr Gareth Pryce." in page


def test_the_message_is_optional(mentee_client, mentor, programme):
    response = mentee_client.post(ask_url(programme, mentor), {})

    assert response.status_code == 302
    mentor_request = MentorRequest.objects.get()
    assert mentor_request.message == ""
    assert mentor_request.status == Status.PENDING


def test_an_over_long_message_is_refused_with_the_error_next_to_the_field(
    mentee_client, mentor, programme
):
    response = mentee_client.post(ask_url(programme, mentor), {"message": "x" * 1001})

    assert_field_error(response, "id_message", "Your message must be 1000 characters or fewer")
    assert not MentorRequest.objects.exists()


def test_asking_the_same_mentor_twice_is_409(mentee_client, pending_request, mentor, programme):
    response = mentee_client.post(ask_url(programme, mentor), {"message": "Again"})

    assert response.status_code == 409
    assert "You have already asked Dr Gareth Pryce." in response.content.decode()
    assert MentorRequest.objects.get() == pending_request
    assert pending_request.events.count() == 1


def test_asking_a_paused_mentor_is_409(mentee_client, mentor, programme):
    mentor.mentor_profile.is_accepting_requests = False
    mentor.mentor_profile.save()

    response = mentee_client.post(ask_url(programme, mentor), {})

    assert response.status_code == 409
    assert "is not taking new requests" in response.content.decode()
    assert not MentorRequest.objects.exists()


def test_a_mentor_of_another_programme_is_404(mentee_client, programme, other_programme):
    elsewhere = new_mentor(other_programme)

    responses = [
        mentee_client.post(ask_url(programme, elsewhere), {}),
        mentee_client.post(ask_url(other_programme, elsewhere), {}),
    ]

    assert [r.status_code for r in responses] == [404, 404]
    assert not MentorRequest.objects.exists()
