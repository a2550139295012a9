"""Who may open each mentee- and mentor-facing page (the manager pages have their own table).

Roles: anonymous, a mentee of the programme, a mentee of another programme, a mentor of the
programme, the programme's manager (with MFA) and another programme's manager (with MFA).
Guessing another programme's or person's id never shows data: it is a 404.
"""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "mentee", "other_mentee", "mentor", "manager", "other_manager"]

# url name -> (args from the scene, expected status per role, in ROLES order)
TABLE = {
    "mentorship:start": ([], [302, 200, 200, 200, 200, 200]),
    "mentorship:mentee_profile": ([], [302, 200, 200, 200, 200, 200]),
    "mentorship:mentor_profile": ([], [302, 200, 200, 200, 200, 200]),
    "mentorship:mentee_home": ([], [302, 200, 200, 403, 403, 403]),
    "mentorship:mentor_home": ([], [302, 403, 403, 200, 403, 403]),
    "mentorship:programme_list": ([], [302, 200, 200, 200, 200, 200]),
    "mentorship:programme_detail": (["programme"], [302, 200, 200, 200, 200, 200]),
    "mentorship:programme_detail:closed": (["closed"], [302, 404, 404, 404, 200, 404]),
    "mentorship:directory": (["programme"], [302, 200, 404, 404, 200, 404]),
    "mentorship:directory:other": (["other"], [302, 404, 200, 404, 404, 200]),
    "mentorship:mentor_detail": (["programme", "mentor"], [302, 200, 404, 404, 200, 404]),
    "mentorship:mentee_detail": (["mentee"], [302, 200, 404, 404, 200, 404]),
}


@pytest.fixture
def scene(
    mentee, other_mentee, mentor, manager, other_manager, programme, other_programme, with_mfa
):
    from tests.factories import ProgrammeFactory

    with_mfa(manager)
    with_mfa(other_manager)
    closed = ProgrammeFactory(name="Closed Scheme", slug="closed-scheme", is_open=False)
    closed.managers.add(manager)
    return {
        "anonymous": None,
        "mentee": mentee,
        "other_mentee": other_mentee,
        "mentor": mentor,
        "manager": manager,
        "other_manager": other_manager,
        "programme": programme.slug,
        "other": other_programme.slug,
        "closed": closed.slug,
        "mentor_id": mentor.pk,
        "mentee_id": mentee.pk,
    }


CASES = [
    (name, role, expected)
    for name, (_, statuses) in TABLE.items()
    for role, expected in zip(ROLES, statuses, strict=True)
]


@pytest.mark.parametrize(("name", "role", "expected"), CASES)
def test_who_may_open_each_page(client, scene, name, role, expected):
    args_spec, _ = TABLE[name]
    args = [
        scene[a] if a in ("programme", "other", "closed") else scene[f"{a}_id"] for a in args_spec
    ]
    url = reverse(name.split(":")[0] + ":" + name.split(":")[1], args=args)
    if scene[role] is not None:
        client.force_login(scene[role])

    response = client.get(url)

    assert response.status_code == expected, (name, role)
    if expected == 302 and role == "anonymous":
        assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize(
    ("viewer", "sees_gmc"),
    [("mentee", True), ("manager", True)],
)
def test_the_gmc_number_is_shown_only_to_the_mentee_and_their_managers(
    client, scene, viewer, sees_gmc
):
    from mentorship.models import MenteeProfile

    MenteeProfile.objects.filter(user=scene["mentee"]).update(gmc_number="7654321")
    client.force_login(scene[viewer])

    html = client.get(
        reverse("mentorship:mentee_detail", args=[scene["mentee_id"]])
    ).content.decode()

    assert ("7654321" in html) is sees_gmc


@pytest.mark.parametrize(
    ("person", "may_see"),
    [
        ("mentee", True),
        ("manager", True),  # manages a programme the mentee belongs to
        ("other_manager", False),  # manages a programme the mentee has nothing to do with
        ("mentor", False),
        ("other_mentee", False),
        ("outsider", False),
    ],
)
def test_only_the_mentee_and_their_programmes_managers_may_see_the_gmc_number(
    request, mentee, person, may_see
):
    from accounts.permissions import may_see_gmc_number

    assert may_see_gmc_number(request.getfixturevalue(person), mentee.pk) is may_see


def test_nobody_signed_out_may_see_a_gmc_number(mentee):
    from django.contrib.auth.models import AnonymousUser

    from accounts.permissions import may_see_gmc_number

    assert may_see_gmc_number(AnonymousUser(), mentee.pk) is False


@pytest.mark.parametrize("url_name", ["directory", "mentee_detail"])
def test_a_manager_without_mfa_is_sent_to_set_it_up_before_seeing_anyone(
    client, programme, mentee, url_name
):
    from tests.factories import UserFactory

    user = UserFactory()
    programme.managers.add(user)
    client.force_login(user)
    arg = programme.slug if url_name == "directory" else mentee.pk

    response = client.get(reverse(f"mentorship:{url_name}", args=[arg]))

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


@pytest.mark.parametrize(
    "url_name",
    ["mentorship:apply", "mentorship:mentor_apply"],
)
def test_posting_to_a_programme_that_cannot_be_seen_is_404(client, scene, url_name):
    client.force_login(scene["mentee"] if url_name == "mentorship:apply" else scene["mentor"])

    response = client.post(reverse(url_name, args=[scene["closed"]]))

    assert response.status_code == 404


def test_a_mentor_the_mentee_asked_can_see_their_profile_but_not_the_gmc_number(
    client, mentee, mentor, programme
):
    from mentorship import services
    from mentorship.models import MenteeProfile

    MenteeProfile.objects.filter(user=mentee).update(gmc_number="7654321")
    url = reverse("mentorship:mentee_detail", args=[mentee.pk])
    client.force_login(mentor)
    assert client.get(url).status_code == 404  # not asked yet

    services.request_mentor(mentee, mentor, programme)
    response = client.get(url)

    assert response.status_code == 200
    assert "7654321" not in response.content.decode()
