"""A mentee applies to an open programme, once; the programme's managers then decide. The
managers' side: test_manage_applicant.py."""

import pytest
from django.urls import reverse

from mentorship.models import Action, MenteeMembership
from tests.factories import MenteeProfileFactory, MentorMembershipFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db
Status = MenteeMembership.Status


@pytest.fixture
def applicant(client):
    """Dr Sana Malik has a mentee profile and has not applied anywhere; `client` is hers."""
    user = MenteeProfileFactory(user__full_name="Dr Sana Malik").user
    client.force_login(user)
    return user


def apply_url(programme):
    return reverse("mentorship:apply", args=[programme.slug])


def test_a_mentee_applies_to_an_open_programme(client, applicant, programme):
    response = client.post(
        apply_url(programme), {"application_note": "I want to move into General Practice."}
    )

    assert response.status_code == 302
    membership = MenteeMembership.objects.get(user=applicant, programme=programme)
    assert membership.status == Status.APPLIED
    assert membership.application_note == "I want to move into General Practice."
    [event] = membership.events.all()
    assert (event.action, event.actor, event.note) == (
        Action.APPLIED,
        applicant,
        "I want to move into General Practice.",
    )
    html = client.get(reverse("mentorship:mentee_home")).content.decode()
    assert "Waiting for a decision" in html


def test_applying_twice_is_refused_with_409_and_changes_nothing(client, applicant, programme):
    client.post(apply_url(programme), {"application_note": "First"})

    response = client.post(apply_url(programme), {"application_note": "Second"})

    assert response.status_code == 409
    assert "already applied" in response.content.decode()
    membership = MenteeMembership.objects.get(user=applicant, programme=programme)
    assert membership.application_note == "First"
    assert membership.events.count() == 1


def test_a_closed_programme_takes_no_applications(client, applicant):
    closed = ProgrammeFactory(is_open=False)
    MentorMembershipFactory(programme=closed)  # not enough to see it

    response = client.post(apply_url(closed))

    assert response.status_code == 404
    assert not MenteeMembership.objects.exists()


def test_a_closed_programme_the_mentee_belongs_to_says_why(client, mentee, programme):
    programme.is_open = False
    programme.save()
    MenteeMembership.objects.filter(user=mentee).update(status=Status.WITHDRAWN)
    client.force_login(mentee)

    response = client.post(apply_url(programme))

    assert response.status_code == 409
    assert "not taking applications" in response.content.decode()
    assert MenteeMembership.objects.get(user=mentee).status == Status.WITHDRAWN


def test_an_over_long_application_note_is_refused(client, applicant, programme):
    response = client.post(apply_url(programme), {"application_note": "x" * 1001})

    assert response.status_code == 400
    assert "1000 characters or fewer" in response.content.decode()
    assert not MenteeMembership.objects.exists()


def test_someone_without_a_mentee_profile_cannot_apply(client, outsider, programme):
    client.force_login(outsider)

    response = client.post(apply_url(programme))

    assert response.status_code == 403
    assert not MenteeMembership.objects.exists()


def test_applying_by_get_is_not_allowed(client, applicant, programme):
    response = client.get(apply_url(programme))

    assert response.status_code == 405
    assert not MenteeMembership.objects.exists()
