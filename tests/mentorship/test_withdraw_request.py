"""The mentee withdraws an open request; the mentor is told."""

import pytest
from django.core import mail
from django.urls import reverse

from mentorship import services
from mentorship.models import Action, MentorRequest
from tests.mentorship.helpers import refreshed

pytestmark = pytest.mark.django_db
Status = MentorRequest.Status


def withdraw_url(mentor_request):
    return reverse("mentorship:withdraw_request", args=[mentor_request.pk])


# --- The service ------------------------------------------------------------------------


def test_the_mentee_withdraws_and_the_mentor_is_told(
    pending_request, mentee, mentor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw_request(pending_request, by=mentee)

    pending_request = refreshed(pending_request)
    assert pending_request.status == Status.WITHDRAWN
    assert pending_request.decided_at is not None
    event = pending_request.events.last()
    assert (event.action, event.actor, event.from_status) == (Action.WITHDRAWN, mentee, "pending")
    assert mail.outbox[-1].to == [mentor.email]
    assert "withdrawn" in mail.outbox[-1].subject


def test_only_the_mentee_can_withdraw(pending_request, mentor):
    with pytest.raises(services.NotAllowed):
        services.withdraw_request(pending_request, by=mentor)

    assert refreshed(pending_request).status == Status.PENDING
    assert not pending_request.events.filter(action=Action.WITHDRAWN).exists()


# --- The page ---------------------------------------------------------------------------


def test_withdrawing_asks_for_confirmation_first(mentee_client, pending_request):
    response = mentee_client.get(withdraw_url(pending_request))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Are you sure you want to withdraw your request to Dr Gareth Pryce?" in html
    assert "Yes, withdraw my request" in html
    assert refreshed(pending_request).status == Status.PENDING


def test_the_mentee_withdraws_a_request(mentee_client, mentee, pending_request):
    response = mentee_client.post(withdraw_url(pending_request))

    assert response.status_code == 302
    assert refreshed(pending_request).status == Status.WITHDRAWN
    assert pending_request.events.filter(action=Action.WITHDRAWN, actor=mentee).count() == 1
    page = mentee_client.get(response["Location"]).content.decode()
    assert "You withdrew your request to Dr Gareth Pryce." in page


def test_withdrawing_twice_is_409(mentee_client, pending_request):
    mentee_client.post(withdraw_url(pending_request))
    events = pending_request.events.count()

    response = mentee_client.post(withdraw_url(pending_request))

    assert response.status_code == 409
    assert "This request is withdrawn, so that cannot be done now." in response.content.decode()
    assert pending_request.events.count() == events


def test_another_mentee_cannot_withdraw(sign_in, pending_request):
    assert sign_in("other_mentee").post(withdraw_url(pending_request)).status_code == 404
    assert refreshed(pending_request).status == Status.PENDING
