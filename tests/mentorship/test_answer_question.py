"""The mentee answers the mentor's question; the request waits for the mentor again."""

import pytest
from django.urls import reverse

from mentorship import services
from mentorship.models import Action, MentorRequest
from tests.mentorship.helpers import assert_field_error, refreshed

pytestmark = pytest.mark.django_db
Status = MentorRequest.Status


@pytest.fixture
def asked(pending_request, mentor):
    """The mentor has asked the mentee a question."""
    return services.ask_for_more_info(
        pending_request, by=mentor, question="Which clinics interest you?"
    )


def answer_url(mentor_request):
    return reverse("mentorship:answer_question", args=[mentor_request.pk])


def detail_url(mentor_request):
    return reverse("mentorship:request_detail", args=[mentor_request.pk])


# --- The service ------------------------------------------------------------------------


def test_the_mentee_answers_and_the_request_waits_for_the_mentor_again(asked, mentee):
    services.answer_question(asked, by=mentee, answer="Calderdale and Kirklees.")

    asked = refreshed(asked)
    assert asked.status == Status.PENDING
    assert asked.answer == "Calderdale and Kirklees."
    assert [e.action for e in asked.events.all()] == [
        Action.REQUESTED,
        Action.ASKED,
        Action.ANSWERED,
    ]
    answered = asked.events.last()
    assert (answered.actor, answered.note) == (mentee, "Calderdale and Kirklees.")


def test_only_the_mentee_can_answer_and_only_when_asked(pending_request, mentor, mentee):
    with pytest.raises(services.InvalidTransition):
        services.answer_question(pending_request, by=mentee, answer="Early answer")
    services.ask_for_more_info(pending_request, by=mentor, question="Why now?")
    with pytest.raises(services.NotAllowed):
        services.answer_question(pending_request, by=mentor, answer="Answering for them")

    pending_request = refreshed(pending_request)
    assert pending_request.status == Status.MORE_INFO
    assert pending_request.answer == ""


# --- The page ---------------------------------------------------------------------------


def test_the_question_and_an_answer_form_are_shown(mentee_client, asked):
    html = mentee_client.get(detail_url(asked)).content.decode()

    assert "Which clinics interest you?" in html
    assert f'action="{answer_url(asked)}"' in html


def test_no_answer_form_while_no_question_is_asked(mentee_client, pending_request):
    html = mentee_client.get(detail_url(pending_request)).content.decode()

    assert answer_url(pending_request) not in html


def test_the_mentee_answers_on_the_request_page(mentee_client, mentee, asked):
    response = mentee_client.post(answer_url(asked), {"answer": "Frailty and home visits."})

    assert response.status_code == 302
    assert response["Location"] == detail_url(asked)
    asked = refreshed(asked)
    assert asked.status == Status.PENDING
    assert asked.answer == "Frailty and home visits."
    assert asked.events.filter(action=Action.ANSWERED, actor=mentee).count() == 1


def test_an_empty_answer_is_refused(mentee_client, asked):
    response = mentee_client.post(answer_url(asked), {"answer": "  "})

    assert_field_error(response, "id_answer", "Enter your answer")
    assert refreshed(asked).status == Status.MORE_INFO
    assert not asked.events.filter(action=Action.ANSWERED).exists()


def test_answering_twice_is_409(mentee_client, asked):
    mentee_client.post(answer_url(asked), {"answer": "Frailty."})

    response = mentee_client.post(answer_url(asked), {"answer": "And again."})

    assert response.status_code == 409
    assert "This request is waiting for the mentor" in response.content.decode()
    assert refreshed(asked).answer == "Frailty."
    assert asked.events.filter(action=Action.ANSWERED).count() == 1


def test_another_mentee_cannot_answer(sign_in, asked):
    response = sign_in("other_mentee").post(answer_url(asked), {"answer": "Not mine."})

    assert response.status_code == 404
    assert refreshed(asked).status == Status.MORE_INFO
    assert refreshed(asked).answer == ""
