import pytest
from django.urls import reverse

from mentorship.models import MentorProfile
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("mentorship:mentor_profile")

VALID = {
    "job_title": "Divisional Director for Primary Care",
    "organisation": "Calder Bridge Medical Practice",
    "gmc_number": "4123456",
    "primary_specialty": "general-practice",
    "other_specialties": ["geriatric-medicine"],
    "goals": ["leadership", "career-move", "leading-change"],
    "region": "north-west",
    "formats": ["in_person", "shadowing"],
    "capacity": "3",
    "is_accepting_requests": "on",
    "is_img": "yes",
    "qualification_country": "EG",
    "languages": ["arabic"],
    "bio": "GP for 20 years. I led the formation of our primary care network.",
}


@pytest.fixture
def newcomer(client):
    user = UserFactory(full_name="Dr Omar Farouk")
    client.force_login(user)
    return user


def post(client, **changes):
    data = {**VALID, **changes}
    return client.post(URL, {k: v for k, v in data.items() if v is not None})


def test_a_new_mentor_saves_a_profile(client, newcomer):
    response = post(client)

    assert response.status_code == 302
    profile = MentorProfile.objects.get(user=newcomer)
    assert profile.capacity == 3
    assert profile.is_img and str(profile.qualification_country) == "EG"
    assert [s.code for s in profile.specialties()] == ["general-practice", "geriatric-medicine"]
    assert {g.code for g in profile.goals.all()} == {"leadership", "career-move", "leading-change"}
    assert profile.formats == {"in_person", "shadowing"}
    assert profile.is_accepting_requests


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"capacity": "0"}, "Enter a number from 1 to 10"),
        ({"capacity": "11"}, "Enter a number from 1 to 10"),
        ({"capacity": "two"}, "Enter a number from 1 to 10"),
        ({"primary_specialty": "astrology"}, "Select a main specialty from the list"),
        ({"other_specialties": ["astrology"]}, "Select a specialty from the list"),
        ({"goals": []}, "Select at least one goal"),
        ({"job_title": ""}, "Enter your job title"),
        ({"qualification_country": ""}, "Select the country where you qualified"),
        ({"gmc_number": "12345678"}, "exactly 7 digits"),
        ({"bio": "x" * 1001}, "1000 characters or fewer"),
        ({"is_img": None}, "Select yes if you qualified outside the UK"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_is_saved(
    client, newcomer, changes, message
):
    response = post(client, **changes)

    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert message in html
    assert not MentorProfile.objects.filter(user=newcomer).exists()


def test_a_uk_graduate_needs_no_country(client, newcomer):
    post(client, is_img="no", qualification_country="EG")

    profile = MentorProfile.objects.get(user=newcomer)
    assert not profile.is_img
    assert not profile.qualification_country


def test_the_pause_switch_stops_and_restarts_new_requests(client, mentor):
    client.force_login(mentor)
    url = reverse("mentorship:set_availability")

    client.post(url, {"accepting": "no"})
    mentor.mentor_profile.refresh_from_db()
    assert not mentor.mentor_profile.is_accepting_requests
    assert "Paused" in client.get(reverse("mentorship:mentor_home")).content.decode()

    client.post(url, {"accepting": "yes"})
    mentor.mentor_profile.refresh_from_db()
    assert mentor.mentor_profile.is_accepting_requests


def test_the_pause_switch_is_post_only(client, mentor):
    client.force_login(mentor)

    assert client.get(reverse("mentorship:set_availability")).status_code == 405
