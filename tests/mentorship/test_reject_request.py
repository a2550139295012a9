"""A programme manager does not approve an accepted request, and says why; both people are
told."""

import pytest
from django.core import mail
from django.urls import reverse

from mentorship import services
from mentorship.models import Action, MentorRequest, Mentorship
from tests.mentorship.helpers import assert_field_error, refreshed

pytestmark = pytest.mark.django_db
Status = MentorRequest.Status


def reject_url(mentor_request):
    return reverse("manage:reject_request", args=[mentor_request.programme.slug, mentor_request.pk])


# --- The service ------------------------------------------------------------------------


def test_a_manager_rejects_with_a_reason_and_both_are_told(
    accepted_request, manager, mentee, mentor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.reject_request(
            accepted_request, by=manager, reason="Dr Pryce is on leave until May."
        )

    accepted_request = refreshed(accepted_request)
    assert accepted_request.status == Status.REJECTED
    assert accepted_request.rejection_reason == "Dr Pryce is on leave until May."
    event = accepted_request.events.last()
    assert (event.action, event.actor, event.note) == (
        Action.REJECTED,
        manager,
        "Dr Pryce is on leave until May.",
    )
    told = {m.to[0] for m in mail.outbox if "not approved" in m.subject}
    assert told == {mentee.email, mentor.email}


def test_a_rejection_needs_a_reason(accepted_request, manager):
    with pytest.raises(services.InvalidTransition, match="Say why"):
        services.reject_request(accepted_request, by=manager, reason="  ")

    assert refreshed(accepted_request).status == Status.ACCEPTED


def test_only_the_programmes_managers_can_reject(accepted_request, other_manager, mentee):
    for person in (other_manager, mentee):
        with pytest.raises(services.NotAllowed):
            services.reject_request(accepted_request, by=person, reason="Not for you.")

    assert refreshed(accepted_request).status == Status.ACCEPTED


# --- The page ---------------------------------------------------------------------------


def test_the_manager_rejects_on_the_queue(manager_client, manager, accepted_request):
    response = manager_client.post(
        reject_url(accepted_request), {"reason": "Dr Pryce is leaving the trust next month."}
    )

    assert response.status_code == 302
    accepted_request = refreshed(accepted_request)
    assert accepted_request.status == Status.REJECTED
    assert accepted_request.rejection_reason == "Dr Pryce is leaving the trust next month."
    assert accepted_request.events.filter(action=Action.REJECTED, actor=manager).count() == 1
    assert not Mentorship.objects.exists()


def test_rejecting_without_a_reason_is_refused(manager_client, accepted_request):
    response = manager_client.post(reject_url(accepted_request), {"reason": " "})

    field_id = f"reject-{accepted_request.pk}-reason"
    assert_field_error(response, field_id, "Enter a reason")
    assert refreshed(accepted_request).status == Status.ACCEPTED


def test_rejecting_an_approved_request_is_409(manager_client, manager, accepted_request):
    services.approve_request(accepted_request, by=manager)

    response = manager_client.post(reject_url(accepted_request), {"reason": "Too late."})

    assert response.status_code == 409
    accepted_request = refreshed(accepted_request)
    assert (accepted_request.status, accepted_request.rejection_reason) == (Status.APPROVED, "")
    assert not accepted_request.events.filter(action=Action.REJECTED).exists()
