"""A manager approves several accepted requests at once; any that cannot be approved are
reported by name and stay in the queue."""

from html import unescape

import pytest
from django.urls import reverse

from mentorship.models import Action, MentorProfile, MentorRequest, Mentorship
from tests.factories import new_accepted_request, new_mentee, new_mentor
from tests.mentorship.helpers import assert_field_error, refreshed

pytestmark = pytest.mark.django_db
Status = MentorRequest.Status


def bulk_url(programme):
    return reverse("manage:bulk_approve", args=[programme.slug])


def test_bulk_approval_lists_the_matches_and_asks_first(manager_client, programme):
    held = new_accepted_request(
        new_mentee(programme, "Dr Chidi Okafor"),
        new_mentor(programme, "Dr Helen Achebe"),
        programme,
    )

    page = manager_client.post(bulk_url(programme), {"requests": [held.pk]}).content.decode()

    assert "Approve 1 match?" in page
    assert "Dr Chidi Okafor with Dr Helen Achebe" in page
    assert refreshed(held).status == Status.ACCEPTED
    assert not Mentorship.objects.exists()

    manager_client.post(bulk_url(programme), {"requests": [held.pk], "confirmed": "True"})

    assert refreshed(held).status == Status.APPROVED
    assert Mentorship.objects.get().request == held


def test_bulk_approve_approves_the_others_and_reports_the_mentor_with_no_free_place(
    manager_client, manager, programme
):
    busy = new_mentor(programme, "Dr Ian Moss", capacity=2)
    first = new_accepted_request(new_mentee(programme, "Dr Chidi Okafor"), busy, programme)
    over = new_accepted_request(new_mentee(programme, "Dr Zainab Idris"), busy, programme)
    other = new_accepted_request(
        new_mentee(programme, "Dr Farah Siddiqui"),
        new_mentor(programme, "Dr Helen Achebe"),
        programme,
    )
    # Capacity lowered behind the services' back (the profile form refuses it): one of the
    # two held places no longer exists.
    MentorProfile.objects.filter(user=busy).update(capacity=1)

    response = manager_client.post(
        bulk_url(programme),
        {"requests": [first.pk, over.pk, other.pk], "confirmed": "True"},
        follow=True,
    )

    assert [refreshed(r).status for r in (first, over, other)] == [
        Status.APPROVED,
        Status.ACCEPTED,
        Status.APPROVED,
    ]
    assert set(Mentorship.objects.values_list("request", flat=True)) == {first.pk, other.pk}
    approvals = MentorRequest.objects.filter(events__action=Action.APPROVED, events__actor=manager)
    assert set(approvals) == {first, other}
    html = unescape(response.content.decode())
    assert "You approved 2 matches." in html
    assert "Not approved: Dr Zainab Idris and Dr Ian Moss: Dr Ian Moss has no free place" in html
    assert "Dr Zainab Idris with Dr Ian Moss" in html  # still in the queue


def test_bulk_approve_with_nothing_selected_is_refused(manager_client, programme, accepted_request):
    response = manager_client.post(bulk_url(programme), {})

    assert_field_error(
        response, "id_requests_0", "Select at least one match to approve", error_id="id_requests"
    )
    assert refreshed(accepted_request).status == Status.ACCEPTED


def test_bulk_approve_ignores_nothing_it_cannot_see(
    manager_client, programme, other_programme, accepted_request
):
    """A request id from another programme is not a choice here: the whole post is refused."""
    elsewhere = new_accepted_request(
        new_mentee(other_programme, "Dr Bola Ade"),
        new_mentor(other_programme, "Dr Kim Lee"),
        other_programme,
    )

    response = manager_client.post(
        bulk_url(programme), {"requests": [accepted_request.pk, elsewhere.pk]}
    )

    assert response.status_code == 400
    assert "Select matches from the list" in response.content.decode()
    assert refreshed(accepted_request).status == Status.ACCEPTED
    assert refreshed(elsewhere).status == Status.ACCEPTED
    assert not Mentorship.objects.exists()


def test_bulk_approving_an_already_approved_request_reports_it(
    manager_client, programme, accepted_request
):
    manager_client.post(
        reverse("manage:approve_request", args=[programme.slug, accepted_request.pk]),
        follow=True,  # the page that shows, and so clears, the approval's message
    )
    events = accepted_request.events.count()

    response = manager_client.post(
        bulk_url(programme), {"requests": [accepted_request.pk], "confirmed": "True"}, follow=True
    )

    html = unescape(response.content.decode())
    assert "You approved" not in html
    assert "Not approved: Dr Amara Nwosu and Dr Gareth Pryce: This request is matched" in html
    assert Mentorship.objects.count() == 1
    assert accepted_request.events.count() == events
