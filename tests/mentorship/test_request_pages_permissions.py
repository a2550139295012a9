"""Who may open each request, approval and mentorship page, and who may post each action:
every role against every URL.

Lookups are scoped to the person (`for_mentee`, `for_mentor`, `visible_to`, the programmes a
manager runs), so someone with the right role but the wrong request gets 404, never another
person's data. Only the person the action belongs to changes anything.
"""

import itertools

import pytest
from django.urls import reverse

from mentorship import services
from mentorship.models import MentorRequest, Mentorship
from tests.factories import MentorshipFactory

pytestmark = pytest.mark.django_db
Status = MentorRequest.Status

LOGIN, MFA = "302 to login", "302 to MFA setup"
ROLES = [
    "anonymous",
    "outsider",
    "mentee",  # made the request; accepted into the programme
    "other_mentee",  # accepted into another programme
    "mentor",  # was asked; approved in the programme
    "other_mentor",  # another mentor of the same programme
    "manager",  # runs the programme, with MFA
    "other_manager",  # runs another programme, with MFA
    "manager_without_mfa",
]


def table(**granted):
    """Anonymous people go to sign in; everyone else gets 403 unless `granted` says."""
    return {"anonymous": LOGIN, **{role: 403 for role in ROLES[1:]}, **granted}


MENTEE_OWN = table(mentee=200, other_mentee=404)
MENTOR_OWN = table(mentor=200, other_mentor=404)
MANAGER_OWN = table(manager=200, other_manager=404, manager_without_mfa=MFA)
MENTORSHIP = table(
    outsider=404,
    mentee=200,
    other_mentee=404,
    mentor=200,
    other_mentor=404,
    manager=200,
    other_manager=404,
    manager_without_mfa=MFA,
)

PAGES = {
    "request_mentor": MENTEE_OWN,  # the ask page: another programme's mentee gets 404
    "my_requests": table(mentee=200, other_mentee=200),
    "request_detail": MENTEE_OWN,
    "withdraw_request": MENTEE_OWN,  # the confirmation step
    "inbox": table(mentor=200, other_mentor=200),
    "inbox_detail": MENTOR_OWN,
    "my_mentees": table(mentor=200, other_mentor=200),
    "mentorship_detail": MENTORSHIP,
    "end_early": MENTORSHIP,  # the page that says what will happen
    "approvals": MANAGER_OWN,
}

# Each action: its expected outcomes (302 where the person may act), and the form posted.
ACTIONS = {
    "request_mentor": (MENTEE_OWN, {"message": "Hello"}),
    "answer_question": (MENTEE_OWN, {"answer": "Frailty clinics."}),
    "withdraw_request": (MENTEE_OWN, {}),
    "accept_request": (MENTOR_OWN, {}),
    "decline_request": (MENTOR_OWN, {"reason": "no_time"}),
    "ask_question": (MENTOR_OWN, {"question": "Which clinics?"}),
    "end_early": (MENTORSHIP, {"because": "circumstances", "reason": "Moving to Leeds."}),
    "approve_request": (MANAGER_OWN, {}),
    "reject_request": (MANAGER_OWN, {"reason": "The mentor is leaving."}),
    "bulk_approve": (MANAGER_OWN, None),  # posts the request's id
}


@pytest.fixture
def scene(programme, mentee, mentor, manager, other_manager, other_mentor, other_mentee):
    """Build what one URL acts on; return its address and a check of whether it changed."""

    def build(name):
        slug = programme.slug
        if name in ("request_mentor",):
            url = reverse("mentorship:request_mentor", args=[slug, mentor.pk])
            return url, MentorRequest.objects.exists
        if name in ("my_requests", "inbox", "my_mentees"):
            return reverse(f"mentorship:{name}"), lambda: False
        if name in ("mentorship_detail", "end_early"):
            mentorship = MentorshipFactory(programme=programme, mentee=mentee, mentor=mentor)
            url = reverse(f"mentorship:{name}", args=[mentorship.pk])
            return url, lambda: Mentorship.objects.get().status != Mentorship.Status.ACTIVE
        if name == "approvals":
            return reverse("manage:approvals", args=[slug]), lambda: False

        mentor_request = services.request_mentor(mentee, mentor, programme)
        start = Status.PENDING
        if name == "answer_question":
            services.ask_for_more_info(mentor_request, by=mentor, question="Why GP?")
            start = Status.MORE_INFO
        if name in ("approve_request", "reject_request", "bulk_approve"):
            services.accept_request(mentor_request, by=mentor)
            start = Status.ACCEPTED
        if name == "bulk_approve":
            url = reverse("manage:bulk_approve", args=[slug])
        elif name in ("approve_request", "reject_request"):
            url = reverse(f"manage:{name}", args=[slug, mentor_request.pk])
        else:
            url = reverse(f"mentorship:{name}", args=[mentor_request.pk])
        build.request_id = mentor_request.pk
        return url, lambda: MentorRequest.objects.get().status != start

    return build


def assert_outcome(response, expected, url):
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('account_login')}?next={url}"
    elif expected == MFA:
        assert response.status_code == 302
        assert response["Location"] == reverse("mfa_activate_totp")
    else:
        assert response.status_code == expected


@pytest.mark.parametrize(("role", "page"), list(itertools.product(ROLES, PAGES)))
def test_each_role_on_each_page(sign_in, scene, role, page):
    url, changed = scene(page)

    response = sign_in(role).get(url)

    assert_outcome(response, PAGES[page][role], url)
    assert not changed()


@pytest.mark.parametrize(("role", "action"), list(itertools.product(ROLES, ACTIONS)))
def test_each_role_on_each_action(sign_in, scene, role, action):
    url, changed = scene(action)
    outcomes, data = ACTIONS[action]
    if data is None:
        data = {"requests": [scene.request_id], "confirmed": "True"}
    expected = 302 if outcomes[role] == 200 else outcomes[role]

    response = sign_in(role).post(url, data)

    assert_outcome(response, expected, url)
    assert changed() == (expected == 302 and role != "anonymous")


@pytest.mark.parametrize(
    "action",
    [
        "answer_question",
        "accept_request",
        "decline_request",
        "ask_question",
        "approve_request",
        "reject_request",
        "bulk_approve",
    ],
)
def test_actions_do_not_answer_get(client, scene, action):
    url, changed = scene(action)

    assert client.get(url).status_code == 405
    assert not changed()
