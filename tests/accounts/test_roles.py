import pytest
from django.urls import reverse

from accounts.permissions import (
    Role,
    forget_roles,
    is_mentee,
    is_mentor,
    is_programme_manager,
    may_manage_programme,
    mfa_required,
    roles_of,
)
from tests.factories import MenteeProfileFactory, MentorProfileFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db

MENTEE_HOME = reverse("mentorship:mentee_home")
MENTOR_HOME = reverse("mentorship:mentor_home")
MANAGER_HOME = reverse("manage:home")


def test_a_mentee_is_only_a_mentee(mentee):
    assert roles_of(mentee) == {Role.MENTEE}
    assert is_mentee(mentee) and not is_mentor(mentee) and not is_programme_manager(mentee)
    assert not mfa_required(mentee)


def test_a_mentor_is_only_a_mentor(mentor):
    assert roles_of(mentor) == {Role.MENTOR}


def test_a_manager_is_a_manager_and_must_use_mfa(manager):
    assert roles_of(manager) == {Role.MANAGER}
    assert mfa_required(manager)


def test_staff_must_use_mfa(staff):
    assert roles_of(staff) == {Role.STAFF}
    assert mfa_required(staff)


def test_an_outsider_and_an_anonymous_visitor_have_no_roles(outsider):
    from django.contrib.auth.models import AnonymousUser

    assert roles_of(outsider) == frozenset()
    assert roles_of(AnonymousUser()) == frozenset()


def test_one_person_can_hold_several_roles(mentee, programme):
    MentorProfileFactory(user=mentee)
    programme.managers.add(mentee)
    forget_roles(mentee)

    assert roles_of(mentee) == {Role.MENTEE, Role.MENTOR, Role.MANAGER}


def test_a_deactivated_person_has_no_roles(mentee):
    mentee.is_active = False
    assert roles_of(mentee) == frozenset()


def test_managers_may_manage_only_their_own_programmes(manager, programme):
    other = ProgrammeFactory()

    assert may_manage_programme(manager, programme)
    assert not may_manage_programme(manager, other)


def test_a_mentee_may_manage_no_programme(mentee, programme):
    assert not may_manage_programme(mentee, programme)


# Each role against each role's home page: 200 for the role, 403 for the others.
@pytest.mark.parametrize(
    ("person", "url", "expected"),
    [
        ("mentee", MENTEE_HOME, 200),
        ("mentee", MENTOR_HOME, 403),
        ("mentee", MANAGER_HOME, 403),
        ("mentor", MENTEE_HOME, 403),
        ("mentor", MENTOR_HOME, 200),
        ("mentor", MANAGER_HOME, 403),
        ("manager", MENTEE_HOME, 403),
        ("manager", MENTOR_HOME, 403),
        ("manager", MANAGER_HOME, 200),
        ("outsider", MENTEE_HOME, 403),
        ("outsider", MENTOR_HOME, 403),
        ("outsider", MANAGER_HOME, 403),
    ],
)
def test_role_pages_let_in_only_their_role(request, client, with_mfa, person, url, expected):
    user = request.getfixturevalue(person)
    if person == "manager":
        with_mfa(user)
    client.force_login(user)

    response = client.get(url)

    assert response.status_code == expected


@pytest.mark.parametrize("url", [MENTEE_HOME, MENTOR_HOME, MANAGER_HOME])
def test_anonymous_visitors_are_sent_to_sign_in(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={url}"


def test_the_header_shows_navigation_for_each_role_the_person_holds(client, mentee, programme):
    MentorProfileFactory(user=mentee)
    client.force_login(mentee)

    html = client.get(reverse("dashboard")).content.decode()

    assert f'href="{MENTEE_HOME}"' in html
    assert f'href="{MENTOR_HOME}"' in html
    assert f'href="{MANAGER_HOME}"' not in html
    assert 'href="/admin/"' not in html


def test_the_manager_page_lists_only_the_managers_programmes(client, manager, programme, with_mfa):
    ProgrammeFactory(name="Someone Else's Scheme")
    with_mfa(manager)
    client.force_login(manager)

    html = client.get(MANAGER_HOME).content.decode()

    assert programme.name in html
    assert "Someone Else&#x27;s Scheme" not in html


def test_mentee_profiles_make_mentees(db):
    profile = MenteeProfileFactory()
    assert is_mentee(profile.user)


@pytest.mark.parametrize(
    ("full_name", "short"),
    [
        ("Dr Kwame Mensah", "Kwame"),
        ("Prof. Anjali Rao", "Anjali"),
        ("Sam Okafor", "Sam"),
        ("Dr", "Dr"),
    ],
)
def test_greetings_use_the_first_name_not_the_title(full_name, short):
    from accounts.models import User

    assert User(full_name=full_name, email="x@example.org").get_short_name() == short


def test_the_menu_marks_the_section_the_page_is_in(client, manager, programme, with_mfa):
    from tests.factories import MentorProfileFactory

    MentorProfileFactory(user=manager)
    with_mfa(manager)
    client.force_login(manager)

    response = client.get(reverse("manage:applicants", args=[programme.slug]))
    current = [i["label"] for i in response.context["nav_items"] if i["current"]]
    assert current == ["Programmes"]

    response = client.get(reverse("mentorship:inbox"))
    current = [i["label"] for i in response.context["nav_items"] if i["current"]]
    assert current == ["Requests"]
