"""A manager invites a mentor by email address; they join when they accept."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from mentorship.models import Action, MentorMembership
from tests.factories import MentorMembershipFactory, MentorProfileFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def invite_url(programme):
    return reverse("manage:invite_mentor", args=[programme.slug])


def test_a_manager_invites_a_mentor_by_email(manager_client, manager, programme, invite_url):
    mentor = MentorProfileFactory(
        user__full_name="Dr Helen Achebe", user__email="helen@example.org"
    ).user

    response = manager_client.post(invite_url, {"email": "Helen@Example.org"}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("manage:mentors", args=[programme.slug])
    assert "You invited Dr Helen Achebe." in response.content.decode()
    membership = MentorMembership.objects.get(programme=programme, user=mentor)
    assert membership.status == MentorMembership.Status.INVITED
    assert membership.decided_by == manager
    assert [(e.action, e.actor) for e in membership.events.all()] == [(Action.INVITED, manager)]


def test_an_email_with_no_mentor_is_shown_as_an_error_on_the_roster(
    manager_client, programme, invite_url, outsider
):
    response = manager_client.post(invite_url, {"email": outsider.email})

    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert 'href="#id_email"' in html
    assert html.count("There is no mentor with that email address.") == 2
    assert not MentorMembership.objects.filter(user=outsider).exists()


def test_inviting_someone_already_on_the_list_says_so(
    manager_client, programme, invite_url, mentor
):
    response = manager_client.post(invite_url, {"email": mentor.email})

    assert response.status_code == 400
    assert "Dr Gareth Pryce is already on the mentor list: approved." in (response.content.decode())
    membership = MentorMembership.objects.get(user=mentor)
    assert membership.status == MentorMembership.Status.APPROVED
    assert not membership.events.exists()


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("", "Enter the mentor's email address"),
        ("not-an-email", "Enter an email address in the correct format"),
    ],
)
def test_a_missing_or_malformed_email_is_rejected(manager_client, invite_url, email, message):
    response = manager_client.post(invite_url, {"email": email})

    assert response.status_code == 400
    assert escape(message) in response.content.decode()
    assert not MentorMembership.objects.exists()


def test_inviting_into_another_programme_is_404(manager_client, other_programme):
    mentor = MentorProfileFactory().user

    response = manager_client.post(
        reverse("manage:invite_mentor", args=[other_programme.slug]), {"email": mentor.email}
    )

    assert response.status_code == 404
    assert not MentorMembership.objects.filter(user=mentor).exists()


def test_an_invitation_can_only_be_posted(manager_client, invite_url):
    assert manager_client.get(invite_url).status_code == 405


def test_a_mentor_in_another_programme_can_still_be_invited(
    manager_client, programme, other_programme, invite_url
):
    elsewhere = MentorMembershipFactory(programme=other_programme)

    response = manager_client.post(invite_url, {"email": elsewhere.user.email})

    assert response.status_code == 302
    invited = MentorMembership.objects.get(programme=programme, user=elsewhere.user)
    assert invited.status == MentorMembership.Status.INVITED
    assert invited.events.get().action == Action.INVITED
    assert MentorMembership.objects.get(pk=elsewhere.pk).status == MentorMembership.Status.APPROVED
