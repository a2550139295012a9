"""The mentor asks the mentee a question before deciding. The answer:
test_answer_question.py."""

import pytest
from django.core import mail
from django.urls import reverse

from mentorship import services
from mentorship.models import Action, MentorRequest
from tests.mentorship.helpers import assert_field_error, refreshed

pytestmark = pytest.mark.django_db
Status = MentorRequest.Status


def ask_url(mentor_request):
    return reverse("mentorship:ask_question", args=[mentor_request.pk])


# --- The service ------------------------------------------------------------------------


def test_the_mentor_asks_and_the_mentee_is_emailed(
    pending_request, mentor, mentee, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.ask_for_more_info(
            pending_request, by=mentor, question="Which GP schemes interest you?"
        )

    pending_request = refreshed(pending_request)
    assert pending_request.status == Status.MORE_INFO
    assert pending_request.question == "Which GP schemes interest you?"
    event = pending_request.events.last()
    assert (event.action, event.actor, event.note) == (
        Action.ASKED,
        mentor,
        "Which GP schemes interest you?",
    )
    assert mail.outbox[-1].to == [mentee.email]


def test_only_the_mentor_asked_can_ask_a_question(pending_request, mentee):
    with pytest.raises(services.NotAllowed):
        services.ask_for_more_info(pending_request, by=mentee, question="Me?")

    assert refreshed(pending_request).status == Status.PENDING


# --- The page ---------------------------------------------------------------------------


def test_the_mentor_asks_a_question(mentor_client, mentor, pending_request):
    response = mentor_client.post(
        ask_url(pending_request), {"question": "Which clinics interest you?"}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("mentorship:inbox_detail", args=[pending_request.pk])
    pending_request = refreshed(pending_request)
    assert pending_request.status == Status.MORE_INFO
    assert pending_request.question == "Which clinics interest you?"
    assert pending_request.events.filter(action=Action.ASKED, actor=mentor).count() == 1
    page = mentor_client.get(response["Location"]).content.decode()
    assert "Your question has been sent to Dr Amara Nwosu." in page
    assert "Which clinics interest you?" in page


def test_an_empty_question_is_refused(mentor_client, pending_request):
    response = mentor_client.post(ask_url(pending_request), {"question": ""})

    assert_field_error(response, "id_question", "Enter your question")
    assert refreshed(pending_request).status == Status.PENDING


def test_asking_a_second_question_before_the_answer_is_409(mentor_client, mentor, pending_request):
    services.ask_for_more_info(pending_request, by=mentor, question="First?")

    response = mentor_client.post(ask_url(pending_request), {"question": "Second?"})

    assert response.status_code == 409
    assert refreshed(pending_request).question == "First?"
    assert pending_request.events.filter(action=Action.ASKED).count() == 1
