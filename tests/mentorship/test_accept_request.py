"""The mentor accepts a request: it then waits for a manager's approval, holding a place, or
the mentorship starts at once where the programme needs no approval."""

from html import unescape

import pytest
from django.core import mail
from django.urls import reverse

from mentorship import services
from mentorship.models import Action, MentorRequest, Mentorship
from tests.factories import new_mentee, new_request
from tests.mentorship.helpers import refreshed

pytestmark = pytest.mark.django_db
Status = MentorRequest.Status


def accept_url(mentor_request):
    return reverse("mentorship:accept_request", args=[mentor_request.pk])


# --- The service ------------------------------------------------------------------------


def test_the_mentor_accepts_and_the_managers_are_asked_to_approve(
    pending_request, mentor, manager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.accept_request(pending_request, by=mentor)

    assert refreshed(pending_request).status == Status.ACCEPTED
    event = pending_request.events.last()
    assert (event.action, event.actor, event.from_status, event.to_status) == (
        Action.ACCEPTED,
        mentor,
        "pending",
        "accepted",
    )
    assert [m.to for m in mail.outbox if "approval" in m.subject] == [[manager.email]]
    assert not Mentorship.objects.exists()


def test_only_the_mentor_asked_can_accept(pending_request, mentee, other_mentor):
    for person in (mentee, other_mentor):
        with pytest.raises(services.NotAllowed):
            services.accept_request(pending_request, by=person)

    assert refreshed(pending_request).status == Status.PENDING
    assert not pending_request.events.filter(action=Action.ACCEPTED).exists()


def test_accepting_twice_changes_nothing(accepted_request, mentor):
    events = accepted_request.events.count()

    with pytest.raises(services.InvalidTransition, match="waiting for approval"):
        services.accept_request(accepted_request, by=mentor)

    assert refreshed(accepted_request).status == Status.ACCEPTED
    assert accepted_request.events.count() == events


def test_a_withdrawn_request_cannot_be_accepted(pending_request, mentee, mentor):
    services.withdraw_request(pending_request, by=mentee)

    with pytest.raises(services.InvalidTransition, match="withdrawn"):
        services.accept_request(pending_request, by=mentor)

    assert refreshed(pending_request).status == Status.WITHDRAWN


def test_without_approval_acceptance_starts_the_mentorship(pending_request, mentor, programme):
    programme.requires_approval = False
    programme.save()

    services.accept_request(pending_request, by=mentor)

    assert refreshed(pending_request).status == Status.APPROVED
    mentorship = Mentorship.objects.get()
    assert (mentorship.mentor, mentorship.mentee, mentorship.status) == (
        mentor,
        pending_request.mentee,
        Mentorship.Status.ACTIVE,
    )
    assert pending_request.events.last().action == Action.APPROVED
    assert [e.action for e in mentorship.events.all()] == [Action.STARTED]


# --- The page ---------------------------------------------------------------------------


def test_the_mentor_accepts_and_the_request_waits_for_approval(
    mentor_client, mentor, pending_request
):
    response = mentor_client.post(accept_url(pending_request))

    assert response.status_code == 302
    assert response["Location"] == reverse("mentorship:inbox")
    assert refreshed(pending_request).status == Status.ACCEPTED
    assert pending_request.events.filter(action=Action.ACCEPTED, actor=mentor).count() == 1
    assert not Mentorship.objects.exists()
    page = unescape(mentor_client.get(response["Location"]).content.decode())
    assert "You accepted Dr Amara Nwosu's request." in page


def test_accepting_in_a_programme_without_approval_starts_the_mentorship(
    mentor_client, programme, pending_request
):
    programme.requires_approval = False
    programme.save()

    response = mentor_client.post(accept_url(pending_request), follow=True)

    assert refreshed(pending_request).status == Status.APPROVED
    mentorship = Mentorship.objects.get(request=pending_request)
    assert mentorship.status == Mentorship.Status.ACTIVE
    assert mentorship.events.filter(action=Action.STARTED).exists()
    assert "You are now Dr Amara Nwosu's mentor." in unescape(response.content.decode())


def test_accepting_twice_is_409_and_changes_nothing(mentor_client, pending_request):
    mentor_client.post(accept_url(pending_request))
    events = pending_request.events.count()

    response = mentor_client.post(accept_url(pending_request))

    assert response.status_code == 409
    assert "This request is waiting for approval" in response.content.decode()
    assert refreshed(pending_request).status == Status.ACCEPTED
    assert pending_request.events.count() == events


def test_accepting_a_withdrawn_request_is_409(mentor_client, mentee, pending_request):
    services.withdraw_request(pending_request, by=mentee)

    response = mentor_client.post(accept_url(pending_request))

    assert response.status_code == 409
    assert refreshed(pending_request).status == Status.WITHDRAWN
    assert not pending_request.events.filter(action=Action.ACCEPTED).exists()


def test_the_mentee_cannot_accept_their_own_request(mentee_client, pending_request):
    assert mentee_client.post(accept_url(pending_request)).status_code == 403
    assert refreshed(pending_request).status == Status.PENDING


def test_a_mentor_with_no_free_place_is_refused_on_the_page(
    mentor_client, mentor, programme, pending_request
):
    mentor.mentor_profile.capacity = 1
    mentor.mentor_profile.save()
    services.accept_request(new_request(new_mentee(programme), mentor, programme), by=mentor)

    response = mentor_client.post(accept_url(pending_request))

    assert response.status_code == 409
    assert "You have no free place" in response.content.decode()
    assert refreshed(pending_request).status == Status.PENDING
