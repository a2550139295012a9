"""A mentee applies to an open programme, once; the programme's managers then decide. The
managers' side: test_manage_applicant.py."""

import pytest
from django.urls import reverse

from mentorship import services
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


def test_a_declined_applicant_cannot_apply_again(applicant, programme, manager):
    membership = services.apply_to_programme(applicant, programme, note="First try.")
    services.decide_mentee_application(membership, by=manager, accept=False, reason="We are full.")

    with pytest.raises(
        services.InvalidTransition,
        match="You have already applied to this programme. Status: not accepted.",
    ):
        services.apply_to_programme(applicant, programme, note="Second try.")

    membership.refresh_from_db()
    assert (membership.status, membership.application_note) == (Status.DECLINED, "First try.")
    assert membership.decided_by == manager
    assert [e.action for e in membership.events.all()] == [
        Action.APPLIED,
        Action.APPLICATION_DECLINED,
    ]


def test_a_declined_applicant_is_told_on_the_page(client, applicant, programme, manager):
    membership = services.apply_to_programme(applicant, programme)
    services.decide_mentee_application(membership, by=manager, accept=False, reason="We are full.")

    response = client.post(apply_url(programme), {"application_note": "Please."})

    assert response.status_code == 409
    assert "Status: not accepted." in response.content.decode()
    assert MenteeMembership.objects.get(pk=membership.pk).status == Status.DECLINED


def test_a_mentee_who_withdrew_can_apply_again(applicant, programme):
    membership = services.apply_to_programme(applicant, programme, note="First try.")
    MenteeMembership.objects.filter(pk=membership.pk).update(status=Status.WITHDRAWN)

    again = services.apply_to_programme(applicant, programme, note="I am back.")

    assert again.pk == membership.pk
    again.refresh_from_db()
    assert (again.status, again.application_note, again.decided_by) == (
        Status.APPLIED,
        "I am back.",
        None,
    )
    event = again.events.last()
    assert (event.action, event.from_status, event.to_status) == (
        Action.APPLIED,
        Status.WITHDRAWN,
        Status.APPLIED,
    )


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
