"""Who may open each programme manager page: every role against every URL.

Managers of another programme pass the role check but every lookup is scoped to the
programmes they manage, so they get 404, never another programme's data.
"""

import itertools

import pytest
from django.urls import reverse

from mentorship.models import MenteeMembership, MentorMembership
from tests.factories import MenteeMembershipFactory, MentorMembershipFactory, MentorProfileFactory

pytestmark = pytest.mark.django_db

LOGIN, MFA = "302 to login", "302 to MFA setup"

# What each role gets on a programme's manager pages.
EXPECTED = {
    "anonymous": LOGIN,
    "outsider": 403,
    "mentee": 403,  # accepted into the programme
    "other_mentee": 403,  # accepted into another programme
    "mentor": 403,  # approved in the programme
    "manager": 200,
    "other_manager": 404,
    "manager_without_mfa": MFA,
}
# The programme list is not one programme's page: another programme's manager sees their own.
EXCEPTIONS = {("other_manager", "home"): 200}

PAGES = ["home", "programme", "applicants", "applicant", "mentors", "mentor", "mentees", "mentee"]
ACTIONS = ["applicant", "applicant_notes", "mentor", "invite_mentor"]


@pytest.fixture
def applicant(programme):
    return MenteeMembershipFactory(programme=programme, status=MenteeMembership.Status.APPLIED)


@pytest.fixture
def candidate(programme):
    return MentorMembershipFactory(programme=programme, status=MentorMembership.Status.APPLIED)


@pytest.fixture
def invitee(db):
    return MentorProfileFactory(user__email="invitee@example.org").user


@pytest.fixture
def urls(programme, mentee, applicant, candidate):
    slug = programme.slug
    accepted = mentee.mentee_memberships.get()
    return {
        "home": reverse("manage:home"),
        "programme": reverse("manage:programme", args=[slug]),
        "applicants": reverse("manage:applicants", args=[slug]),
        "applicant": reverse("manage:applicant", args=[slug, applicant.pk]),
        "applicant_notes": reverse("manage:applicant_notes", args=[slug, applicant.pk]),
        "mentors": reverse("manage:mentors", args=[slug]),
        "invite_mentor": reverse("manage:invite_mentor", args=[slug]),
        "mentor": reverse("manage:mentor", args=[slug, candidate.pk]),
        "mentees": reverse("manage:mentees", args=[slug]),
        "mentee": reverse("manage:mentee", args=[slug, accepted.pk]),
    }


def assert_outcome(response, expected, url):
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('account_login')}?next={url}"
    elif expected == MFA:
        assert response.status_code == 302
        assert response["Location"] == reverse("mfa_activate_totp")
    else:
        assert response.status_code == expected


@pytest.mark.parametrize(("role", "page"), list(itertools.product(EXPECTED, PAGES)))
def test_each_role_on_each_page(sign_in, urls, role, page):
    expected = EXCEPTIONS.get((role, page), EXPECTED[role])

    response = sign_in(role).get(urls[page])

    assert_outcome(response, expected, urls[page])


POSTS = {
    "applicant": {"decision": "accept"},
    "applicant_notes": {"notes": "Posted."},
    "mentor": {"decision": "approve"},
    "invite_mentor": {"email": "invitee@example.org"},
}


@pytest.mark.parametrize(("role", "action"), list(itertools.product(EXPECTED, ACTIONS)))
def test_each_role_on_each_action(sign_in, urls, role, action, applicant, candidate, invitee):
    expected = 302 if role == "manager" else EXPECTED[role]

    response = sign_in(role).post(urls[action], POSTS[action])

    assert_outcome(response, expected, urls[action])
    applicant.refresh_from_db()
    candidate.refresh_from_db()
    invited = MentorMembership.objects.filter(user=invitee).exists()
    changed = {
        "applicant": applicant.status == MenteeMembership.Status.ACCEPTED,
        "applicant_notes": applicant.intake_notes == "Posted.",
        "mentor": candidate.status == MentorMembership.Status.APPROVED,
        "invite_mentor": invited,
    }
    assert changed == {name: role == "manager" and name == action for name in ACTIONS}
