"""A manager reviews one application and accepts or declines it, with notes."""

import pytest
from django.urls import reverse

from mentorship.models import Action, MenteeMembership
from tests.factories import MenteeMembershipFactory, MenteeProfileFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def applicant(programme):
    """Dr Priya Raman has applied to `programme` and is waiting for a decision."""
    user = MenteeProfileFactory(user__full_name="Dr Priya Raman", gmc_number="7012345").user
    return MenteeMembershipFactory(
        programme=programme,
        user=user,
        status=MenteeMembership.Status.APPLIED,
        application_note="I want to move into General Practice.",
        intake_notes="Met on Tuesday; keen on primary care.",
    )


def url(membership):
    return reverse("manage:applicant", args=[membership.programme.slug, membership.pk])


def test_the_manager_sees_the_full_application_with_gmc_and_intake_notes(manager_client, applicant):
    response = manager_client.get(url(applicant))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Dr Priya Raman" in html
    assert "7012345" in html
    assert "I want to move into General Practice." in html
    assert "Met on Tuesday; keen on primary care." in html
    assert "Waiting for a decision" in html
    assert 'name="decision"' in html
    assert reverse("manage:applicant_notes", args=[applicant.programme.slug, applicant.pk]) in html


def test_a_manager_accepts_an_applicant_with_notes(manager_client, manager, applicant):
    response = manager_client.post(
        url(applicant), {"decision": "accept", "notes": "Strong interview."}, follow=True
    )

    assert response.redirect_chain[-1][0] == reverse(
        "manage:applicants", args=[applicant.programme.slug]
    )
    assert "You accepted Dr Priya Raman." in response.content.decode()
    applicant.refresh_from_db()
    assert applicant.status == MenteeMembership.Status.ACCEPTED
    assert applicant.intake_notes == "Strong interview."
    assert applicant.decided_by == manager
    assert applicant.decided_at is not None
    [event] = applicant.events.all()
    assert (event.action, event.actor, event.from_status, event.to_status) == (
        Action.APPLICATION_ACCEPTED,
        manager,
        "applied",
        "accepted",
    )


def test_a_manager_declines_an_applicant(manager_client, manager, applicant):
    response = manager_client.post(
        url(applicant), {"decision": "decline", "notes": "", "reason": "We are full this year."}
    )

    assert response.status_code == 302
    applicant.refresh_from_db()
    assert applicant.status == MenteeMembership.Status.DECLINED
    assert applicant.decided_by == manager
    assert [(e.action, e.actor) for e in applicant.events.all()] == [
        (Action.APPLICATION_DECLINED, manager)
    ]
    # Blank notes on the decision keep the notes already written.
    assert applicant.intake_notes == "Met on Tuesday; keen on primary care."


def test_no_decision_chosen_shows_the_error_next_to_the_field_and_in_the_summary(
    manager_client, applicant
):
    response = manager_client.post(url(applicant), {"notes": "Thinking about it."})

    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert 'href="#id_decision_0"' in html
    assert 'id="id_decision-error"' in html
    assert html.count("Select accept or decline") == 2  # summary and next to the field
    assert "Thinking about it." in html  # what they typed is kept
    applicant.refresh_from_db()
    assert applicant.status == MenteeMembership.Status.APPLIED
    assert applicant.intake_notes == "Met on Tuesday; keen on primary care."
    assert not applicant.events.exists()


def test_an_unknown_decision_posted_by_hand_is_rejected(manager_client, applicant):
    response = manager_client.post(url(applicant), {"decision": "approve-all"})

    assert response.status_code == 400
    applicant.refresh_from_db()
    assert applicant.status == MenteeMembership.Status.APPLIED


def test_over_long_notes_are_rejected_and_nothing_changes(manager_client, applicant):
    response = manager_client.post(url(applicant), {"decision": "accept", "notes": "x" * 5001})

    assert response.status_code == 400
    assert "Keep notes to 5000 characters or fewer" in response.content.decode()
    applicant.refresh_from_db()
    assert applicant.status == MenteeMembership.Status.APPLIED


def test_deciding_twice_is_a_409_and_changes_nothing(manager_client, manager, applicant):
    manager_client.post(url(applicant), {"decision": "accept", "notes": "First."})
    applicant.refresh_from_db()
    decided_at = applicant.decided_at

    response = manager_client.post(
        url(applicant), {"decision": "decline", "notes": "Second.", "reason": "Full."}
    )

    assert response.status_code == 409
    html = response.content.decode()
    assert "This application has already been decided: accepted." in html
    assert "Nothing has been changed." in html
    applicant.refresh_from_db()
    assert applicant.status == MenteeMembership.Status.ACCEPTED
    assert applicant.intake_notes == "First."
    assert applicant.decided_at == decided_at
    assert [e.action for e in applicant.events.all()] == [Action.APPLICATION_ACCEPTED]


def test_a_decided_application_shows_notes_but_no_decision_form(manager_client, mentee, programme):
    membership = MenteeMembership.objects.get(user=mentee, programme=programme)

    response = manager_client.get(url(membership))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="decision"' not in html
    assert "Save notes" in html
    assert "Accepted" in html


def test_another_programmes_application_under_my_slug_is_404(
    manager_client, programme, other_programme
):
    elsewhere = MenteeMembershipFactory(
        programme=other_programme, status=MenteeMembership.Status.APPLIED
    )

    get = manager_client.get(reverse("manage:applicant", args=[programme.slug, elsewhere.pk]))
    post = manager_client.post(
        reverse("manage:applicant", args=[programme.slug, elsewhere.pk]), {"decision": "accept"}
    )

    assert get.status_code == 404
    assert post.status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.status == MenteeMembership.Status.APPLIED
    assert not elsewhere.events.exists()
