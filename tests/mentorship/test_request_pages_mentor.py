"""The mentor's pages: the inbox, one request (accept, decline, ask), and their mentees."""

from html import unescape

import pytest
from django.urls import reverse

from mentorship import services
from mentorship.models import Event, MentorRequest, Mentorship
from tests.factories import (
    MenteeMembershipFactory,
    MenteeProfileFactory,
    MentorMembershipFactory,
    MentorProfileFactory,
    MentorshipFactory,
)

pytestmark = pytest.mark.django_db
Status = MentorRequest.Status


@pytest.fixture
def mentor_client(client, mentor):
    client.force_login(mentor)
    return client


@pytest.fixture
def pending(mentee, mentor, programme):
    profile = mentee.mentee_profile
    profile.gmc_number = "7012345"
    profile.save()
    return services.request_mentor(mentee, mentor, programme, message="I hope to move into GP.")


@pytest.fixture
def another_mentor(programme):
    user = MentorProfileFactory(user__full_name="Dr Helen Achebe").user
    MentorMembershipFactory(programme=programme, user=user)
    return user


def second_mentee(programme, name="Dr Chidi Okafor"):
    user = MenteeProfileFactory(user__full_name=name).user
    MenteeMembershipFactory(programme=programme, user=user)
    return user


def detail_url(mentor_request):
    return reverse("mentorship:inbox_detail", args=[mentor_request.pk])


def action_url(name, mentor_request):
    return reverse(f"mentorship:{name}", args=[mentor_request.pk])


def refreshed(mentor_request):
    mentor_request.refresh_from_db()
    return mentor_request


def assert_field_error(response, field_id, message, error_id=None):
    html = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in html
    assert f'href="#{field_id}"' in html
    assert f'id="{error_id or field_id}-error"' in html
    assert html.count(message) >= 2


# --- The inbox --------------------------------------------------------------------------


def test_the_inbox_shows_waiting_requests_first_with_profile_and_reasons(
    mentor_client, mentee, mentor, programme, pending
):
    decided_mentee = second_mentee(programme, "Dr Zainab Idris")
    decided = services.request_mentor(decided_mentee, mentor, programme)
    services.decline_request(decided, by=mentor, reason="no_time")
    MentorRequest.objects.filter(pk=pending.pk).update(reasons=["Supports 2 of your 2 goals"])

    response = mentor_client.get(reverse("mentorship:inbox"))

    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("Dr Amara Nwosu") < html.index("Earlier requests")
    assert html.index("Earlier requests") < html.index("Dr Zainab Idris")
    assert "Supports 2 of your 2 goals" in html
    assert "I hope to move into GP." in html
    assert "General Practice" in html  # the mentee's target specialty, from the summary
    assert "7012345" not in html  # a mentor never sees the GMC number
    assert detail_url(pending) in html


def test_the_oldest_waiting_request_comes_first(mentor_client, mentor, programme, pending):
    newer = services.request_mentor(second_mentee(programme), mentor, programme)

    html = mentor_client.get(reverse("mentorship:inbox")).content.decode()

    assert html.index(detail_url(pending)) < html.index(detail_url(newer))


def test_the_inbox_shows_only_the_mentors_own_requests(client, another_mentor, pending):
    client.force_login(another_mentor)

    html = client.get(reverse("mentorship:inbox")).content.decode()

    assert "Dr Amara Nwosu" not in html


def test_the_mentor_home_links_the_inbox_with_a_count_and_the_mentees(mentor_client, pending):
    html = mentor_client.get(reverse("mentorship:mentor_home")).content.decode()

    assert reverse("mentorship:inbox") in html
    assert reverse("mentorship:my_mentees") in html
    assert "1 waiting" in html
    assert "Pause new requests" in html


def test_the_request_page_shows_the_mentee_without_gmc_and_the_actions(mentor_client, pending):
    html = mentor_client.get(detail_url(pending)).content.decode()

    assert "Request from Dr Amara Nwosu" in html
    assert "I hope to move into GP." in html
    assert "7012345" not in html
    for name in ("accept_request", "decline_request", "ask_question"):
        assert action_url(name, pending) in html
    for label in MentorRequest.DeclineReason.labels:
        assert label in html


# --- Accept -----------------------------------------------------------------------------


def test_the_mentor_accepts_and_the_request_waits_for_approval(mentor_client, mentor, pending):
    response = mentor_client.post(action_url("accept_request", pending))

    assert response.status_code == 302
    assert response["Location"] == reverse("mentorship:inbox")
    assert refreshed(pending).status == Status.ACCEPTED
    assert Event.objects.filter(request=pending, action="accepted", actor=mentor).exists()
    assert not Mentorship.objects.exists()
    page = unescape(mentor_client.get(response["Location"]).content.decode())
    assert "You accepted Dr Amara Nwosu's request." in page


def test_accepting_in_a_programme_without_approval_starts_the_mentorship(
    mentor_client, programme, pending
):
    programme.requires_approval = False
    programme.save()

    response = mentor_client.post(action_url("accept_request", pending), follow=True)

    assert refreshed(pending).status == Status.APPROVED
    assert Mentorship.objects.filter(request=pending, status="active").exists()
    assert "You are now Dr Amara Nwosu's mentor." in unescape(response.content.decode())


def test_accepting_twice_is_409_and_changes_nothing(mentor_client, pending):
    mentor_client.post(action_url("accept_request", pending))
    events = pending.events.count()

    response = mentor_client.post(action_url("accept_request", pending))

    assert response.status_code == 409
    assert "This request is waiting for approval" in response.content.decode()
    assert refreshed(pending).status == Status.ACCEPTED
    assert pending.events.count() == events


def test_accepting_a_withdrawn_request_is_409(mentor_client, mentee, pending):
    services.withdraw_request(pending, by=mentee)

    response = mentor_client.post(action_url("accept_request", pending))

    assert response.status_code == 409
    assert refreshed(pending).status == Status.WITHDRAWN


def test_another_mentor_gets_404_and_nothing_changes(client, another_mentor, pending):
    client.force_login(another_mentor)

    responses = [
        client.get(detail_url(pending)),
        client.post(action_url("accept_request", pending)),
        client.post(action_url("decline_request", pending), {"reason": "no_time"}),
        client.post(action_url("ask_question", pending), {"question": "Why me?"}),
    ]

    assert [r.status_code for r in responses] == [404, 404, 404, 404]
    assert refreshed(pending).status == Status.PENDING


def test_the_mentee_cannot_accept_their_own_request(client, mentee, pending):
    client.force_login(mentee)

    assert client.post(action_url("accept_request", pending)).status_code == 403
    assert refreshed(pending).status == Status.PENDING


# --- Decline ----------------------------------------------------------------------------


def test_the_mentor_declines_with_a_reason_and_a_kind_note(mentor_client, mentor, pending):
    response = mentor_client.post(
        action_url("decline_request", pending),
        {"reason": "another_mentor", "note": "Dr Achebe knows GP training well."},
    )

    assert response.status_code == 302
    pending = refreshed(pending)
    assert pending.status == Status.DECLINED
    assert pending.decline_reason == "another_mentor"
    assert pending.decline_note == "Dr Achebe knows GP training well."
    assert Event.objects.filter(request=pending, action="declined", actor=mentor).exists()


def test_declining_without_a_reason_is_refused(mentor_client, pending):
    response = mentor_client.post(action_url("decline_request", pending), {"note": "Sorry."})

    assert_field_error(response, "id_reason_0", "Select a reason", error_id="id_reason")
    assert refreshed(pending).status == Status.PENDING


def test_an_unknown_decline_reason_is_refused(mentor_client, pending):
    response = mentor_client.post(action_url("decline_request", pending), {"reason": "bored"})

    assert_field_error(
        response, "id_reason_0", "Select a reason from the list", error_id="id_reason"
    )
    assert refreshed(pending).status == Status.PENDING


def test_an_over_long_decline_note_is_refused(mentor_client, pending):
    response = mentor_client.post(
        action_url("decline_request", pending), {"reason": "no_time", "note": "x" * 1001}
    )

    assert_field_error(response, "id_note", "Your note must be 1000 characters or fewer")
    assert refreshed(pending).status == Status.PENDING


def test_declining_an_accepted_request_is_409(mentor_client, mentor, pending):
    services.accept_request(pending, by=mentor)

    response = mentor_client.post(action_url("decline_request", pending), {"reason": "no_time"})

    assert response.status_code == 409
    assert refreshed(pending).status == Status.ACCEPTED


def test_the_mentor_can_decline_while_waiting_for_an_answer(mentor_client, mentor, pending):
    services.ask_for_more_info(pending, by=mentor, question="Which clinics?")

    html = mentor_client.get(detail_url(pending)).content.decode()
    assert action_url("accept_request", pending) not in html
    assert action_url("decline_request", pending) in html

    response = mentor_client.post(action_url("decline_request", pending), {"reason": "no_time"})

    assert response.status_code == 302
    assert refreshed(pending).status == Status.DECLINED


# --- Ask a question ---------------------------------------------------------------------


def test_the_mentor_asks_a_question(mentor_client, mentor, pending):
    response = mentor_client.post(
        action_url("ask_question", pending), {"question": "Which clinics interest you?"}
    )

    assert response.status_code == 302
    assert response["Location"] == detail_url(pending)
    pending = refreshed(pending)
    assert pending.status == Status.MORE_INFO
    assert pending.question == "Which clinics interest you?"
    page = mentor_client.get(response["Location"]).content.decode()
    assert "Your question has been sent to Dr Amara Nwosu." in page
    assert "Which clinics interest you?" in page


def test_an_empty_question_is_refused(mentor_client, pending):
    response = mentor_client.post(action_url("ask_question", pending), {"question": ""})

    assert_field_error(response, "id_question", "Enter your question")
    assert refreshed(pending).status == Status.PENDING


def test_asking_a_second_question_before_the_answer_is_409(mentor_client, mentor, pending):
    services.ask_for_more_info(pending, by=mentor, question="First?")

    response = mentor_client.post(action_url("ask_question", pending), {"question": "Second?"})

    assert response.status_code == 409
    assert refreshed(pending).question == "First?"


# --- My mentees -------------------------------------------------------------------------


def test_my_mentees_lists_active_mentorships_then_past_ones(mentor_client, mentor, programme):
    active = MentorshipFactory(programme=programme, mentor=mentor)
    ended = MentorshipFactory(
        programme=programme, mentor=mentor, status=Mentorship.Status.COMPLETED
    )
    someone_elses = MentorshipFactory(programme=programme)

    response = mentor_client.get(reverse("mentorship:my_mentees"))

    html = response.content.decode()
    assert response.status_code == 200
    detail = "mentorship:mentorship_detail"
    assert html.index(reverse(detail, args=[active.pk])) < html.index("Past mentees")
    assert html.index("Past mentees") < html.index(reverse(detail, args=[ended.pk]))
    assert reverse(detail, args=[someone_elses.pk]) not in html
    assert active.mentee.full_name in html
