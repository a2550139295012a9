"""Who may open or use each match-run URL: every role against every URL.

Another programme's manager passes the role check, but every lookup is scoped to the
programmes they manage, so they get 404 and never see (or change) another programme's run.
"""

from __future__ import annotations

import itertools

import pytest
from django.urls import reverse

from matching.models import MatchProposal, MatchRun
from mentorship.models import MentorRequest

pytestmark = pytest.mark.django_db

LOGIN, MFA = "302 to login", "302 to MFA setup"

EXPECTED = {
    "anonymous": LOGIN,
    "mentee": 403,
    "mentor": 403,
    "manager": 200,
    "other_manager": 404,
    "manager_without_mfa": MFA,
}
PAGES = ["home", "run", "status", "export"]
ACTIONS = ["start", "approve"]


@pytest.fixture
def scene(programme, manager, mentee, mentor):
    run = MatchRun.objects.create(
        programme=programme,
        created_by=manager,
        method="optimal",
        weights=programme.matching_weights().as_dict(),
        status=MatchRun.Status.FINISHED,
    )
    proposal = MatchProposal.objects.create(run=run, mentee=mentee, mentor=mentor, score=80.0)
    return run, proposal


def _urls(run: MatchRun) -> dict[str, str]:
    slug, pk = run.programme.slug, run.pk
    return {
        "home": reverse("matching:home", args=[slug]),
        "run": reverse("matching:run", args=[slug, pk]),
        "status": reverse("matching:status", args=[slug, pk]),
        "export": reverse("matching:export", args=[slug, pk]),
        "start": reverse("matching:start", args=[slug]),
        "approve": reverse("matching:approve", args=[slug, pk]),
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
def test_each_role_on_each_page(sign_in, scene, role, page):
    url = _urls(scene[0])[page]

    response = sign_in(role).get(url)

    assert_outcome(response, EXPECTED[role], url)


@pytest.mark.parametrize(("role", "action"), list(itertools.product(EXPECTED, ACTIONS)))
def test_each_role_on_each_action(sign_in, scene, role, action, django_capture_on_commit_callbacks):
    run, proposal = scene
    url = _urls(run)[action]
    data = {"method": "optimal"} if action == "start" else {"approve": "all", "confirmed": "True"}

    with django_capture_on_commit_callbacks(execute=True):
        response = sign_in(role).post(url, data)

    assert_outcome(response, 302 if role == "manager" else EXPECTED[role], url)
    proposal.refresh_from_db()
    changed = {
        "start": MatchRun.objects.count() > 1,
        "approve": proposal.status == MatchProposal.Status.APPROVED
        and MentorRequest.objects.filter(mentee=proposal.mentee).exists(),
    }
    assert changed == {name: role == "manager" and name == action for name in ACTIONS}


def test_another_programmes_run_id_under_my_slug_is_404(sign_in, scene, other_programme):
    run, _ = scene
    theirs = MatchRun.objects.create(programme=other_programme, method="optimal", weights={})
    client = sign_in("manager")

    for name in ("run", "status", "export"):
        url = reverse(f"matching:{name}", args=[run.programme.slug, theirs.pk])
        assert client.get(url).status_code == 404
    url = reverse("matching:approve", args=[run.programme.slug, theirs.pk])
    assert client.post(url, {"approve": "all"}).status_code == 404


@pytest.mark.parametrize("page", PAGES)
def test_pages_do_not_change_state_on_post(sign_in, scene, page):
    response = sign_in("manager").post(_urls(scene[0])[page])

    assert response.status_code == 405


@pytest.mark.parametrize("action", ACTIONS)
def test_actions_refuse_get(sign_in, scene, action):
    response = sign_in("manager").get(_urls(scene[0])[action])

    assert response.status_code == 405
