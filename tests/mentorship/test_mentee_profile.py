import pytest
from django.urls import reverse

from mentorship.models import MenteeGoal, MenteeProfile
from tests.factories import MenteeProfileFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("mentorship:mentee_profile")

VALID = {
    "qualification_country": "SD",
    "gmc_number": "7012345",
    "grade": "trust_grade",
    "current_specialty": "geriatric-medicine",
    "target_specialty": "general-practice",
    "goals": ["leadership", "career-move", "understanding-nhs"],
    "region": "north-west",
    "formats": ["in_person", "shadowing"],
    "year_arrived": "2023",
    "languages": ["arabic", "english"],
    "statement": "I want to see how primary care works before I apply for GP training.",
}


@pytest.fixture
def newcomer(client):
    user = UserFactory(full_name="Dr Hiba Elamin")
    client.force_login(user)
    return user


def post(client, **changes):
    data = {**VALID, **changes}
    return client.post(URL, {k: v for k, v in data.items() if v is not None})


def test_a_new_mentee_saves_a_profile_with_goals_in_order(client, newcomer):
    response = post(client)

    assert response.status_code == 302
    profile = MenteeProfile.objects.get(user=newcomer)
    assert [g.code for g in profile.ranked_goals()] == [
        "leadership",
        "career-move",
        "understanding-nhs",
    ]
    assert profile.target_specialty.code == "general-practice"
    assert profile.formats == {"in_person", "shadowing"}
    assert profile.gmc_number == "7012345"
    assert str(profile.qualification_country) == "SD"
    assert sorted(lang.code for lang in profile.languages.all()) == ["arabic", "english"]


def test_editing_replaces_the_goals_and_keeps_their_new_order(client, newcomer):
    post(client)
    post(client, goals=["postgraduate-exams", "leadership"])

    profile = MenteeProfile.objects.get(user=newcomer)
    assert [g.code for g in profile.ranked_goals()] == ["postgraduate-exams", "leadership"]
    assert MenteeGoal.objects.filter(profile=profile).count() == 2


def _error_page(response) -> str:
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    return html


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"gmc_number": "701234"}, "exactly 7 digits"),
        ({"gmc_number": "70123456"}, "exactly 7 digits"),
        ({"gmc_number": "70A2345"}, "exactly 7 digits"),
        (
            {
                "goals": [
                    "leadership",
                    "career-move",
                    "research",
                    "teaching",
                    "wellbeing",
                    "communication",
                ]
            },
            "Choose no more than 5 goals",
        ),
        ({"goals": ["leadership", "leadership"]}, "Choose each goal only once"),
        ({"goals": []}, "Select your most important goal"),
        ({"goals": ["flying-lessons"]}, "Select goals from the list"),
        ({"target_specialty": None}, "Select a target specialty"),
        ({"target_specialty": "astrology"}, "Select a target specialty from the list"),
        ({"current_specialty": "astrology"}, "Select a specialty from the list"),
        ({"statement": "x" * 1001}, "1000 characters or fewer"),
        ({"formats": []}, "Select at least one way to meet"),
        ({"year_arrived": "2999"}, "The year cannot be in the future"),
        ({"region": "atlantis"}, "Select a region from the list"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_is_saved(
    client, newcomer, changes, message
):
    html = _error_page(post(client, **changes))

    assert message in html
    assert not MenteeProfile.objects.filter(user=newcomer).exists()
    assert not MenteeGoal.objects.exists()


def test_a_bad_edit_leaves_the_saved_profile_as_it_was(client, newcomer):
    post(client)

    _error_page(post(client, goals=["leadership"] * 2, statement="Changed", gmc_number="1"))

    profile = MenteeProfile.objects.get(user=newcomer)
    assert profile.statement == VALID["statement"]
    assert profile.gmc_number == "7012345"
    assert [g.code for g in profile.ranked_goals()] == VALID["goals"]


def test_a_gmc_number_already_in_use_is_refused(client, newcomer):
    MenteeProfileFactory(gmc_number="7012345")

    html = _error_page(post(client))

    assert "already used by another account" in html
    assert not MenteeProfile.objects.filter(user=newcomer).exists()


def test_the_error_summary_links_to_the_first_goal_select(client, newcomer):
    html = _error_page(post(client, goals=[]))

    assert 'href="#id_goals_0"' in html
    assert 'id="id_goals_0"' in html


def test_spaces_in_a_gmc_number_are_ignored(client, newcomer):
    post(client, gmc_number=" 701 2345 ")

    assert MenteeProfile.objects.get(user=newcomer).gmc_number == "7012345"


def test_the_form_shows_the_saved_answers(client, newcomer):
    post(client)

    html = client.get(URL).content.decode()

    assert '<option value="leadership" selected>' in html
    assert 'value="shadowing" checked' in html
    assert '<option value="general-practice" selected>' in html
    assert '<option value="north-west" selected>' in html
    assert '<option value="geriatric-medicine" selected>' in html


def test_saving_the_form_unchanged_keeps_the_profile(client, newcomer):
    """What the edit page shows, posted back as it is, must save without errors."""
    import re

    post(client)
    html = client.get(URL).content.decode()
    data: dict[str, list[str]] = {}
    selects = re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', html, re.S)
    for name, body in selects:
        chosen = re.findall(r'<option value="([^"]*)" selected>', body)
        data.setdefault(name, []).append(chosen[0] if chosen else "")
    for name, value in re.findall(
        r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"[^>]*checked', html
    ):
        data.setdefault(name, []).append(value)
    for name, value in re.findall(
        r'<input[^>]*name="([^"]+)"[^>]*type="(?:text|number)"[^>]*'
        r'value="([^"]*)"',
        html,
    ):
        data.setdefault(name, []).append(value)
    data["statement"] = [VALID["statement"]]
    data.pop("csrfmiddlewaretoken", None)

    response = client.post(URL, data)

    assert response.status_code == 302, response.content.decode()[:3000]


def test_a_goal_added_in_the_admin_can_be_chosen_straight_away(client, newcomer):
    from mentorship.models import Goal

    client.get(URL)  # the form has been used once in this process
    Goal.objects.create(code="global-health", name="Global health")

    post(client, goals=["global-health"])

    profile = MenteeProfile.objects.get(user=newcomer)
    assert [g.code for g in profile.ranked_goals()] == ["global-health"]


def test_a_gmc_number_on_someone_elses_mentor_profile_is_refused(client, newcomer):
    from tests.factories import MentorProfileFactory

    MentorProfileFactory(gmc_number="7012345")

    html = _error_page(post(client))

    assert "already used by another account" in html


def test_a_person_may_use_their_gmc_number_on_both_of_their_profiles(client, newcomer):
    from tests.factories import MentorProfileFactory

    MentorProfileFactory(user=newcomer, gmc_number="7012345")

    assert post(client).status_code == 302
    assert MenteeProfile.objects.get(user=newcomer).gmc_number == "7012345"
