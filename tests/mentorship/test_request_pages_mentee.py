"""The mentee's pages: ask a mentor, follow the requests, answer a question, withdraw."""

import pytest
from django.urls import reverse

from mentorship import services
from mentorship.models import Event, MentorRequest
from tests.factories import MentorMembershipFactory, MentorProfileFactory

pytestmark = pytest.mark.django_db
Status = MentorRequest.Status


@pytest.fixture
def mentee_client(client, mentee):
    client.force_login(mentee)
    return client


@pytest.fixture
def pending(mentee, mentor, programme):
    return services.request_mentor(mentee, mentor, programme, message="I hope to move into GP.")


@pytest.fixture
def asked(pending, mentor):
    """The mentor has asked the mentee a question."""
    return services.ask_for_more_info(pending, by=mentor, question="Which clinics interest you?")


def ask_url(programme, mentor):
    return reverse("mentorship:request_mentor", args=[programme.slug, mentor.pk])


def detail_url(mentor_request):
    return reverse("mentorship:request_detail", args=[mentor_request.pk])


def refreshed(mentor_request):
    mentor_request.refresh_from_db()
    return mentor_request


def assert_field_error(response, field_id, message, error_id=None):
    """The message is next to the field and in the error summary, which links to it."""
    html = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in html
    assert f'href="#{field_id}"' in html
    assert f'id="{error_id or field_id}-error"' in html
    assert html.count(message) >= 2


# --- Asking -----------------------------------------------------------------------------


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


def test_managers_see_no_ask_form(client, manager, with_mfa, programme, mentor):
    with_mfa(manager)
    client.force_login(manager)

    response = client.get(reverse("mentorship:mentor_detail", args=[programme.slug, mentor.pk]))

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
    assert response["Location"] == detail_url(mentor_request)
    assert (mentor_request.mentee, mentor_request.mentor) == (mentee, mentor)
    assert mentor_request.status == Status.PENDING
    assert mentor_request.message == "I would love to shadow your clinics."
    assert mentor_request.score is not None
    assert mentor_request.reasons

    page = mentee_client.get(response["Location"]).content.decode()
    assert "Your request has been sent to Dr Gareth Pryce." in page


def test_the_message_is_optional(mentee_client, mentor, programme):
    response = mentee_client.post(ask_url(programme, mentor), {})

    assert response.status_code == 302
    assert MentorRequest.objects.get().message == ""


def test_an_over_long_message_is_refused_with_the_error_next_to_the_field(
    mentee_client, mentor, programme
):
    response = mentee_client.post(ask_url(programme, mentor), {"message": "x" * 1001})

    assert_field_error(response, "id_message", "Your message must be 1000 characters or fewer")
    assert not MentorRequest.objects.exists()


def test_asking_the_same_mentor_twice_is_409(mentee_client, pending, mentor, programme):
    response = mentee_client.post(ask_url(programme, mentor), {"message": "Again"})

    assert response.status_code == 409
    assert "You have already asked Dr Gareth Pryce." in response.content.decode()
    assert MentorRequest.objects.count() == 1


def test_asking_a_paused_mentor_is_409(mentee_client, mentor, programme):
    mentor.mentor_profile.is_accepting_requests = False
    mentor.mentor_profile.save()

    response = mentee_client.post(ask_url(programme, mentor), {})

    assert response.status_code == 409
    assert "is not taking new requests" in response.content.decode()
    assert not MentorRequest.objects.exists()


def test_a_mentor_of_another_programme_is_404(mentee_client, programme, other_programme):
    elsewhere = MentorProfileFactory().user
    MentorMembershipFactory(programme=other_programme, user=elsewhere)

    responses = [
        mentee_client.post(ask_url(programme, elsewhere), {}),
        mentee_client.post(ask_url(other_programme, elsewhere), {}),
    ]

    assert [r.status_code for r in responses] == [404, 404]
    assert not MentorRequest.objects.exists()


# --- My requests and the request page ---------------------------------------------------


def test_my_requests_lists_open_requests_first_with_status_tags(
    mentee_client, mentee, programme, pending
):
    other = MentorProfileFactory(user__full_name="Dr Helen Achebe").user
    MentorMembershipFactory(programme=programme, user=other)
    withdrawn = services.request_mentor(mentee, other, programme)
    services.withdraw_request(withdrawn, by=mentee)

    response = mentee_client.get(reverse("mentorship:my_requests"))

    html = response.content.decode()
    assert response.status_code == 200
    assert (
        html.index("Dr Gareth Pryce")
        < html.index("Earlier requests")
        < html.index("Dr Helen Achebe")
    )
    assert "Waiting for the mentor" in html
    assert "Withdrawn" in html
    assert detail_url(pending) in html
    assert detail_url(withdrawn) in html


def test_my_requests_shows_only_the_mentees_own(client, other_mentee, pending):
    client.force_login(other_mentee)

    response = client.get(reverse("mentorship:my_requests"))

    assert response.status_code == 200
    assert "Dr Gareth Pryce" not in response.content.decode()


def test_the_request_page_shows_the_match_kept_at_request_time_and_the_timeline(
    mentee_client, pending
):
    MentorRequest.objects.filter(pk=pending.pk).update(
        score=87.4, reasons=["Same target specialty: General Practice"]
    )

    response = mentee_client.get(detail_url(pending))

    html = response.content.decode()
    assert "87% match" in html
    assert "Same target specialty: General Practice" in html
    assert "Waiting for the mentor" in html
    assert "Divisional Director for Primary Care" in html
    assert "I hope to move into GP." in html
    assert "What has happened" in html
    assert "Requested</strong> by Dr Amara Nwosu" in html
    assert reverse("mentorship:withdraw_request", args=[pending.pk]) in html


def test_a_declined_request_shows_the_reason_and_note_kindly(mentee_client, pending, mentor):
    services.decline_request(pending, by=mentor, reason="no_time", note="Try Dr Achebe.")

    html = mentee_client.get(detail_url(pending)).content.decode()

    assert "I do not have time at the moment" in html
    assert "Try Dr Achebe." in html
    assert "not a judgement of you" in html
    assert reverse("mentorship:withdraw_request", args=[pending.pk]) not in html


def test_another_mentees_request_is_404(client, other_mentee, pending):
    client.force_login(other_mentee)

    assert client.get(detail_url(pending)).status_code == 404


# --- Answering a question ---------------------------------------------------------------


def answer_url(mentor_request):
    return reverse("mentorship:answer_question", args=[mentor_request.pk])


def test_the_question_and_an_answer_form_are_shown(mentee_client, asked):
    html = mentee_client.get(detail_url(asked)).content.decode()

    assert "Which clinics interest you?" in html
    assert f'action="{answer_url(asked)}"' in html


def test_no_answer_form_while_no_question_is_asked(mentee_client, pending):
    assert answer_url(pending) not in mentee_client.get(detail_url(pending)).content.decode()


def test_the_mentee_answers_and_the_request_waits_for_the_mentor_again(
    mentee_client, mentee, asked
):
    response = mentee_client.post(answer_url(asked), {"answer": "Frailty and home visits."})

    assert response.status_code == 302
    assert response["Location"] == detail_url(asked)
    asked = refreshed(asked)
    assert asked.status == Status.PENDING
    assert asked.answer == "Frailty and home visits."
    assert Event.objects.filter(request=asked, action="answered", actor=mentee).exists()


def test_an_empty_answer_is_refused(mentee_client, asked):
    response = mentee_client.post(answer_url(asked), {"answer": "  "})

    assert_field_error(response, "id_answer", "Enter your answer")
    assert refreshed(asked).status == Status.MORE_INFO


def test_answering_twice_is_409(mentee_client, asked):
    mentee_client.post(answer_url(asked), {"answer": "Frailty."})

    response = mentee_client.post(answer_url(asked), {"answer": "And again."})

    assert response.status_code == 409
    assert "This request is waiting for the mentor" in response.content.decode()
    assert refreshed(asked).answer == "Frailty."


def test_another_mentee_cannot_answer(client, other_mentee, asked):
    client.force_login(other_mentee)

    response = client.post(answer_url(asked), {"answer": "Not mine."})

    assert response.status_code == 404
    assert refreshed(asked).status == Status.MORE_INFO


# --- Withdrawing ------------------------------------------------------------------------


def withdraw_url(mentor_request):
    return reverse("mentorship:withdraw_request", args=[mentor_request.pk])


def test_withdrawing_asks_for_confirmation_first(mentee_client, pending):
    response = mentee_client.get(withdraw_url(pending))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Are you sure you want to withdraw your request to Dr Gareth Pryce?" in html
    assert "Yes, withdraw my request" in html
    assert refreshed(pending).status == Status.PENDING


def test_the_mentee_withdraws_a_request(mentee_client, mentee, pending):
    response = mentee_client.post(withdraw_url(pending))

    assert response.status_code == 302
    assert refreshed(pending).status == Status.WITHDRAWN
    assert Event.objects.filter(request=pending, action="withdrawn", actor=mentee).exists()
    page = mentee_client.get(response["Location"]).content.decode()
    assert "You withdrew your request to Dr Gareth Pryce." in page


def test_withdrawing_twice_is_409(mentee_client, pending):
    mentee_client.post(withdraw_url(pending))
    events = pending.events.count()

    response = mentee_client.post(withdraw_url(pending))

    assert response.status_code == 409
    assert "This request is withdrawn, so that cannot be done now." in response.content.decode()
    assert pending.events.count() == events


def test_another_mentee_cannot_withdraw(client, other_mentee, pending):
    client.force_login(other_mentee)

    assert client.post(withdraw_url(pending)).status_code == 404
    assert refreshed(pending).status == Status.PENDING


def test_the_mentee_home_links_to_requests(mentee_client):
    html = mentee_client.get(reverse("mentorship:mentee_home")).content.decode()

    assert reverse("mentorship:my_requests") in html
