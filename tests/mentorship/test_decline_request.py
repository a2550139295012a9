"""The mentor declines a request with a reason, and may add a kind note for the mentee."""

import pytest
from django.core import mail
from django.urls import reverse

from mentorship import services
from mentorship.models import Action, MentorRequest
from tests.mentorship.helpers import assert_field_error, refreshed

pytestmark = pytest.mark.django_db
Status = MentorRequest.Status


def decline_url(mentor_request):
    return reverse("mentorship:decline_request", args=[mentor_request.pk])


# --- The service ------------------------------------------------------------------------


def test_the_mentor_declines_with_a_reason_and_a_kind_note(
    pending_request, mentor, mentee, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.decline_request(
            pending_request,
            by=mentor,
            reason="another_mentor",
            note="Dr Patel runs the GP training scheme; ask her.",
        )

    pending_request = refreshed(pending_request)
    assert pending_request.status == Status.DECLINED
    assert pending_request.decline_reason == "another_mentor"
    assert pending_request.decided_at is not None
    event = pending_request.events.last()
    assert (event.action, event.actor, event.note) == (
        Action.DECLINED,
        mentor,
        "Another mentor would suit you better",
    )
    declined = [m for m in mail.outbox if m.to == [mentee.email]][-1]
    assert "Dr Patel runs the GP training scheme" in declined.body


def test_a_decline_needs_a_known_reason(pending_request, mentor):
    with pytest.raises(services.InvalidTransition, match="Choose a reason"):
        services.decline_request(pending_request, by=mentor, reason="bored")

    assert refreshed(pending_request).status == Status.PENDING
    assert not pending_request.events.filter(action=Action.DECLINED).exists()


def test_only_the_mentor_asked_can_decline(pending_request, mentee, other_mentor):
    for person in (mentee, other_mentor):
        with pytest.raises(services.NotAllowed):
            services.decline_request(pending_request, by=person, reason="no_time")

    assert refreshed(pending_request).status == Status.PENDING


# --- The page ---------------------------------------------------------------------------


def test_the_mentor_declines_on_the_request_page(mentor_client, mentor, pending_request):
    response = mentor_client.post(
        decline_url(pending_request),
        {"reason": "another_mentor", "note": "Dr Achebe knows GP training well."},
    )

    assert response.status_code == 302
    pending_request = refreshed(pending_request)
    assert pending_request.status == Status.DECLINED
    assert pending_request.decline_reason == "another_mentor"
    assert pending_request.decline_note == "Dr Achebe knows GP training well."
    assert pending_request.events.filter(action=Action.DECLINED, actor=mentor).count() == 1


def test_declining_without_a_reason_is_refused(mentor_client, pending_request):
    response = mentor_client.post(decline_url(pending_request), {"note": "Sorry."})

    assert_field_error(response, "id_reason_0", "Select a reason", error_id="id_reason")
    assert refreshed(pending_request).status == Status.PENDING


def test_an_unknown_decline_reason_is_refused(mentor_client, pending_request):
    response = mentor_client.post(decline_url(pending_request), {"reason": "bored"})

    assert_field_error(
        response, "id_reason_0", "Select a reason from the list", error_id="id_reason"
    )
    assert refreshed(pending_request).status == Status.PENDING


def test_an_over_long_decline_note_is_refused(mentor_client, pending_request):
    response = mentor_client.post(
        decline_url(pending_request), {"reason": "no_time", "note": "x" * 1001}
    )

    assert_field_error(response, "id_note", "Your note must be 1000 characters or fewer")
    assert refreshed(pending_request).status == Status.PENDING
    assert refreshed(pending_request).decline_note == ""


def test_declining_an_accepted_request_is_409(mentor_client, accepted_request):
    response = mentor_client.post(decline_url(accepted_request), {"reason": "no_time"})

    assert response.status_code == 409
    assert refreshed(accepted_request).status == Status.ACCEPTED
    assert not accepted_request.events.filter(action=Action.DECLINED).exists()


def test_the_mentor_can_decline_while_waiting_for_an_answer(mentor_client, mentor, pending_request):
    services.ask_for_more_info(pending_request, by=mentor, question="Which clinics?")

    html = mentor_client.get(
        reverse("mentorship:inbox_detail", args=[pending_request.pk])
    ).content.decode()
    assert reverse("mentorship:accept_request", args=[pending_request.pk]) not in html
    assert decline_url(pending_request) in html

    response = mentor_client.post(decline_url(pending_request), {"reason": "no_time"})

    assert response.status_code == 302
    assert refreshed(pending_request).status == Status.DECLINED
    event = pending_request.events.last()
    assert (event.action, event.from_status) == (Action.DECLINED, Status.MORE_INFO)
