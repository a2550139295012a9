"""A programme manager approves an accepted request: the mentorship starts in the place the
request held, both people are introduced, and the mentee's other requests close."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from mentorship import services
from mentorship.models import Action, MentorRequest, Mentorship
from tests.factories import MentorshipFactory, new_mentor, new_request
from tests.mentorship.helpers import refreshed

pytestmark = pytest.mark.django_db
Status = MentorRequest.Status


def approve_url(mentor_request, programme=None):
    slug = (programme or mentor_request.programme).slug
    return reverse("manage:approve_request", args=[slug, mentor_request.pk])


# --- The service ------------------------------------------------------------------------


def test_a_manager_approves_and_the_mentorship_starts_with_introductions(
    accepted_request, manager, mentee, mentor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_request(accepted_request, by=manager)

    accepted_request = refreshed(accepted_request)
    assert accepted_request.status == Status.APPROVED
    assert accepted_request.manager_approved_by == manager
    mentorship = Mentorship.objects.get()
    assert mentorship.request == accepted_request
    assert (mentorship.started_on, mentorship.status) == (
        timezone.localdate(),
        Mentorship.Status.ACTIVE,
    )
    event = accepted_request.events.last()
    assert (event.action, event.actor, event.from_status) == (Action.APPROVED, manager, "accepted")
    assert [(e.action, e.actor) for e in mentorship.events.all()] == [(Action.STARTED, manager)]
    intros = {m.to[0]: m for m in mail.outbox if m.subject.startswith("Meet your")}
    assert set(intros) == {mentee.email, mentor.email}
    assert intros[mentee.email].subject == f"Meet your mentor, {mentor.full_name}"
    to_mentee = intros[mentee.email].body
    assert mentor.email in to_mentee and "Divisional Director for Primary Care" in to_mentee
    assert "suggested agenda for your first meeting" in to_mentee
    assert "1. Career move into a specialty" in to_mentee
    assert "16 weeks" in to_mentee and "weekly" in to_mentee
    assert "Your goals, most important first" in to_mentee
    assert "what brought you to the NHS" in to_mentee
    to_mentor = intros[mentor.email].body
    assert mentee.email in to_mentor
    assert f"{mentee.get_short_name()}'s goals, most important first" in to_mentor
    assert intros[mentor.email].alternatives[0][1] == "text/html"


@pytest.mark.parametrize("weeks", [6, 26])
def test_the_planned_end_follows_the_programmes_duration(
    accepted_request, manager, programme, weeks
):
    programme.duration_weeks = weeks
    programme.save()

    services.approve_request(accepted_request, by=manager)

    mentorship = Mentorship.objects.get()
    assert mentorship.planned_end_on == mentorship.started_on + datetime.timedelta(weeks=weeks)


def test_approval_withdraws_the_mentees_other_open_requests_and_tells_those_mentors(
    accepted_request, manager, mentee, programme, django_capture_on_commit_callbacks
):
    other = new_mentor(programme)
    other_request = new_request(mentee, other, programme)

    with django_capture_on_commit_callbacks(execute=True):
        services.approve_request(accepted_request, by=manager)

    assert refreshed(other_request).status == Status.WITHDRAWN
    event = other_request.events.last()
    assert event.action == Action.WITHDRAWN
    assert event.actor is None and "matched with another mentor" in event.note
    told = [m for m in mail.outbox if m.to == [other.email] and "withdrawn" in m.subject]
    assert told and "matched with another mentor" in told[0].body


def test_only_the_programmes_managers_can_approve(accepted_request, other_manager, mentor, mentee):
    for person in (other_manager, mentor, mentee):
        with pytest.raises(services.NotAllowed):
            services.approve_request(accepted_request, by=person)

    assert refreshed(accepted_request).status == Status.ACCEPTED
    assert not accepted_request.events.filter(action=Action.APPROVED).exists()
    assert not Mentorship.objects.exists()


def test_approving_twice_changes_nothing(accepted_request, manager):
    services.approve_request(accepted_request, by=manager)
    events = accepted_request.events.count()

    with pytest.raises(services.InvalidTransition, match="matched"):
        services.approve_request(accepted_request, by=manager)

    assert Mentorship.objects.count() == 1
    assert accepted_request.events.count() == events


def test_approval_fails_clearly_when_the_mentor_has_no_free_place(
    accepted_request, manager, mentor, programme
):
    MentorshipFactory.create_batch(2, programme=programme, mentor=mentor)  # capacity is 2

    with pytest.raises(services.NoFreePlace, match="has no free place"):
        services.approve_request(accepted_request, by=manager)

    assert refreshed(accepted_request).status == Status.ACCEPTED
    assert not Mentorship.objects.filter(mentee=accepted_request.mentee).exists()


# --- The page ---------------------------------------------------------------------------


def test_the_manager_approves_on_the_queue(
    manager_client, manager, mentee, mentor, accepted_request, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(approve_url(accepted_request))

    assert response.status_code == 302
    assert response["Location"] == reverse(
        "manage:approvals", args=[accepted_request.programme.slug]
    )
    accepted_request = refreshed(accepted_request)
    assert accepted_request.status == Status.APPROVED
    assert accepted_request.manager_approved_by == manager
    assert accepted_request.events.filter(action=Action.APPROVED, actor=manager).count() == 1
    mentorship = Mentorship.objects.get(request=accepted_request)
    assert (mentorship.mentee, mentorship.mentor, mentorship.status) == (
        mentee,
        mentor,
        Mentorship.Status.ACTIVE,
    )
    introduced = sorted(m.to[0] for m in mail.outbox if m.subject.startswith("Meet your"))
    assert introduced == sorted([mentee.email, mentor.email])
    page = manager_client.get(response["Location"]).content.decode()
    assert "You approved the match between Dr Amara Nwosu and Dr Gareth Pryce." in page


def test_approving_twice_is_409_and_changes_nothing(manager_client, accepted_request):
    manager_client.post(approve_url(accepted_request))
    events = accepted_request.events.count()

    response = manager_client.post(approve_url(accepted_request))

    assert response.status_code == 409
    assert "This request is matched, so that cannot be done now." in response.content.decode()
    assert Mentorship.objects.count() == 1
    assert accepted_request.events.count() == events


def test_approving_a_pending_request_is_409(manager_client, pending_request):
    response = manager_client.post(approve_url(pending_request))

    assert response.status_code == 409
    assert refreshed(pending_request).status == Status.PENDING
    assert not Mentorship.objects.exists()


def test_approving_a_request_that_holds_the_last_place_always_succeeds(
    manager_client, mentor, accepted_request
):
    mentor.mentor_profile.capacity = 1
    mentor.mentor_profile.save()

    response = manager_client.post(approve_url(accepted_request))

    assert response.status_code == 302
    assert refreshed(accepted_request).status == Status.APPROVED
    assert Mentorship.objects.active().filter(mentor=mentor).count() == 1


def test_approving_when_the_mentor_is_full_is_409_with_the_reason(
    manager_client, programme, mentor, accepted_request
):
    # Only possible behind the services' back (the admin's database, a data fix): the place
    # the request held was taken by a mentorship created directly.
    mentor.mentor_profile.capacity = 1
    mentor.mentor_profile.save()
    MentorshipFactory(programme=programme, mentor=mentor)

    response = manager_client.post(approve_url(accepted_request))

    assert response.status_code == 409
    assert "has no free place" in response.content.decode()
    assert refreshed(accepted_request).status == Status.ACCEPTED
    assert not Mentorship.objects.filter(request=accepted_request).exists()


def test_a_request_of_another_programme_is_404_even_through_your_own_slug(
    sign_in, other_programme, accepted_request
):
    client = sign_in("other_manager")

    responses = [
        client.post(approve_url(accepted_request, programme=other_programme)),
        client.post(approve_url(accepted_request)),
    ]

    assert [r.status_code for r in responses] == [404, 404]
    assert refreshed(accepted_request).status == Status.ACCEPTED
    assert not Mentorship.objects.exists()
