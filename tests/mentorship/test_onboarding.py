import pytest
from django.urls import reverse

from accounts.permissions import Role, roles_of
from tests.factories import UserFactory
from tests.mentorship.test_mentee_profile import VALID as MENTEE
from tests.mentorship.test_mentor_profile import VALID as MENTOR

pytestmark = pytest.mark.django_db


def test_a_new_person_is_asked_how_they_want_to_take_part(client):
    client.force_login(UserFactory())

    html = client.get(reverse("dashboard")).content.decode()

    assert reverse("mentorship:start") in html


def test_choosing_both_leads_through_both_profiles_to_the_dashboard(client):
    user = UserFactory()
    client.force_login(user)

    response = client.post(reverse("mentorship:start"), {"role": "both"})
    assert response["Location"] == reverse("mentorship:mentee_profile")

    response = client.post(reverse("mentorship:mentee_profile"), MENTEE)
    assert response["Location"] == reverse("mentorship:mentor_profile")

    response = client.post(reverse("mentorship:mentor_profile"), MENTOR)
    assert response["Location"] == reverse("dashboard")
    assert roles_of(type(user).objects.get(pk=user.pk)) == {Role.MENTEE, Role.MENTOR}


def test_choosing_to_mentor_goes_straight_to_the_mentor_profile(client):
    client.force_login(UserFactory())

    response = client.post(reverse("mentorship:start"), {"role": "mentor"})

    assert response["Location"] == reverse("mentorship:mentor_profile")


def test_not_choosing_shows_an_error(client):
    client.force_login(UserFactory())

    response = client.post(reverse("mentorship:start"), {})

    assert response.status_code == 200
    assert "Select how you want to take part" in response.content.decode()


def test_a_made_up_choice_shows_an_error(client):
    client.force_login(UserFactory())

    response = client.post(reverse("mentorship:start"), {"role": "overlord"})

    assert "Select how you want to take part" in response.content.decode()


def test_an_empty_profile_post_shows_every_error_and_saves_nothing(client):
    from mentorship.models import MenteeProfile

    user = UserFactory()
    client.force_login(user)

    html = client.post(reverse("mentorship:mentee_profile"), {}).content.decode()

    assert "Select a target specialty" in html
    assert "Select your most important goal" in html
    assert not MenteeProfile.objects.filter(user=user).exists()
