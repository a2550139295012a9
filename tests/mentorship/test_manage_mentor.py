"""A manager vets a mentor who offered to mentor: GMC registration, role; approve or decline."""

import pytest
from django.urls import reverse

from mentorship.models import Action, MentorMembership
from tests.factories import MentorMembershipFactory, MentorProfileFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def candidate(programme):
    """Dr Femi Adeyemi has offered to mentor in `programme` and waits for vetting."""
    user = MentorProfileFactory(
        user__full_name="Dr Femi Adeyemi",
        gmc_number="7654321",
        job_title="Clinical Director for Acute Medicine",
    ).user
    return MentorMembershipFactory(
        programme=programme, user=user, status=MentorMembership.Status.APPLIED
    )


def url(membership):
    return reverse("manage:mentor", args=[membership.programme.slug, membership.pk])


def test_the_manager_sees_the_mentor_profile_with_gmc_and_an_approve_form(
    manager_client, candidate
):
    response = manager_client.get(url(candidate))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Dr Femi Adeyemi" in html
    assert "7654321" in html
    assert "Clinical Director for Acute Medicine" in html
    assert "Approve: mentees can see and request them" in html
    assert "Vetting notes (optional)" in html


def test_a_manager_approves_a_mentor_with_vetting_notes(manager_client, manager, candidate):
    response = manager_client.post(
        url(candidate), {"decision": "approve", "notes": "GMC register checked."}, follow=True
    )

    assert response.redirect_chain[-1][0] == reverse(
        "manage:mentors", args=[candidate.programme.slug]
    )
    assert "You approved Dr Femi Adeyemi." in response.content.decode()
    candidate.refresh_from_db()
    assert candidate.status == MentorMembership.Status.APPROVED
    assert candidate.vetting_notes == "GMC register checked."
    assert candidate.decided_by == manager
    assert candidate.decided_at is not None
    assert [(e.action, e.actor) for e in candidate.events.all()] == [(Action.VETTED, manager)]


def test_a_manager_declines_a_mentor(manager_client, manager, candidate):
    response = manager_client.post(
        url(candidate),
        {
            "decision": "decline",
            "notes": "No GMC.",
            "reason": "We could not confirm your registration.",
        },
    )

    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.status == MentorMembership.Status.DECLINED
    assert candidate.vetting_notes == "No GMC."
    assert candidate.decided_by == manager
    assert [(e.action, e.actor) for e in candidate.events.all()] == [(Action.NOT_VETTED, manager)]


def test_no_decision_chosen_shows_the_error_and_changes_nothing(manager_client, candidate):
    response = manager_client.post(url(candidate), {"notes": "Checked."})

    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert 'href="#id_decision_0"' in html
    assert html.count("Select approve or decline") == 2
    candidate.refresh_from_db()
    assert candidate.status == MentorMembership.Status.APPLIED
    assert candidate.vetting_notes == ""
    assert not candidate.events.exists()


def test_an_empty_post_is_an_error_not_a_page(manager_client, candidate):
    response = manager_client.post(url(candidate), {})

    assert response.status_code == 400
    assert "Select approve or decline" in response.content.decode()


def test_deciding_twice_is_a_409_and_changes_nothing(manager_client, candidate):
    manager_client.post(url(candidate), {"decision": "approve", "notes": "First."})

    response = manager_client.post(
        url(candidate), {"decision": "decline", "notes": "Second.", "reason": "Full."}
    )

    assert response.status_code == 409
    assert "This mentor has already been decided: approved." in response.content.decode()
    candidate.refresh_from_db()
    assert candidate.status == MentorMembership.Status.APPROVED
    assert candidate.vetting_notes == "First."
    assert [e.action for e in candidate.events.all()] == [Action.VETTED]


def test_an_approved_mentor_shows_vetting_notes_and_no_form(manager_client, programme, mentor):
    membership = MentorMembership.objects.get(user=mentor, programme=programme)
    membership.vetting_notes = "Known to the team."
    membership.save()

    response = manager_client.get(url(membership))

    html = response.content.decode()
    assert "Known to the team." in html
    assert 'name="decision"' not in html


def test_another_programmes_mentor_under_my_slug_is_404(manager_client, programme, other_programme):
    elsewhere = MentorMembershipFactory(
        programme=other_programme, status=MentorMembership.Status.APPLIED
    )

    get = manager_client.get(reverse("manage:mentor", args=[programme.slug, elsewhere.pk]))
    post = manager_client.post(
        reverse("manage:mentor", args=[programme.slug, elsewhere.pk]), {"decision": "approve"}
    )

    assert (get.status_code, post.status_code) == (404, 404)
    elsewhere.refresh_from_db()
    assert elsewhere.status == MentorMembership.Status.APPLIED
