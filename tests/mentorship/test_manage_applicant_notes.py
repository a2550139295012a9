"""A manager keeps private interview and intake notes on an application, decided or not."""

import pytest
from django.urls import reverse

from mentorship.models import MenteeMembership
from tests.factories import MenteeMembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def applicant(programme):
    return MenteeMembershipFactory(
        programme=programme, status=MenteeMembership.Status.APPLIED, intake_notes=""
    )


def notes_url(membership):
    return reverse("manage:applicant_notes", args=[membership.programme.slug, membership.pk])


def test_a_manager_saves_notes_without_deciding(manager_client, applicant):
    response = manager_client.post(
        notes_url(applicant), {"notes": "Called on Monday. Interview booked."}, follow=True
    )

    assert response.redirect_chain[-1][0] == reverse(
        "manage:applicant", args=[applicant.programme.slug, applicant.pk]
    )
    html = response.content.decode()
    assert "Your notes are saved." in html
    assert "You have not made a decision yet." in html
    applicant.refresh_from_db()
    assert applicant.intake_notes == "Called on Monday. Interview booked."
    assert applicant.status == MenteeMembership.Status.APPLIED
    assert applicant.decided_by is None


def test_a_decision_sent_with_save_notes_only_is_ignored(manager_client, applicant):
    manager_client.post(notes_url(applicant), {"decision": "accept", "notes": "Not yet."})

    applicant.refresh_from_db()
    assert applicant.status == MenteeMembership.Status.APPLIED
    assert applicant.intake_notes == "Not yet."


def test_a_manager_adds_notes_after_accepting(manager_client, mentee, programme):
    membership = MenteeMembership.objects.get(user=mentee, programme=programme)

    response = manager_client.post(notes_url(membership), {"notes": "First meeting went well."})

    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.intake_notes == "First meeting went well."
    assert membership.status == MenteeMembership.Status.ACCEPTED


def test_over_long_notes_show_an_error_and_are_not_saved(manager_client, applicant):
    response = manager_client.post(notes_url(applicant), {"notes": "x" * 5001})

    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert 'href="#id_notes"' in html
    assert html.count("Keep notes to 5000 characters or fewer") == 2
    assert "Select accept or decline" not in html  # the decision is optional here
    applicant.refresh_from_db()
    assert applicant.intake_notes == ""


def test_notes_can_only_be_posted(manager_client, applicant):
    assert manager_client.get(notes_url(applicant)).status_code == 405


def test_another_programmes_application_under_my_slug_is_404(
    manager_client, programme, other_programme
):
    elsewhere = MenteeMembershipFactory(programme=other_programme, intake_notes="Theirs.")

    response = manager_client.post(
        reverse("manage:applicant_notes", args=[programme.slug, elsewhere.pk]),
        {"notes": "Mine now."},
    )

    assert response.status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.intake_notes == "Theirs."
