"""Approving a run's proposals: each becomes a request the manager already approved,
waiting only for the mentor to accept."""

from __future__ import annotations

import pytest
from django.urls import reverse

from matching import runs
from matching.models import MatchProposal, MatchRun
from mentorship.models import Event, MentorRequest
from mentorship.services import InvalidTransition
from tests.factories import MentorshipFactory, ProgrammeFactory
from tests.matching.test_match_runs_execute import build_cohort, run_now

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(programme, manager, django_capture_on_commit_callbacks) -> MatchRun:
    build_cohort(programme)
    return run_now(programme, manager, capture=django_capture_on_commit_callbacks)


def _url(run: MatchRun) -> str:
    return reverse("matching:approve", args=[run.programme.slug, run.pk])


def _best(run: MatchRun, n: int) -> list[MatchProposal]:
    return list(run.proposals.filter(mentor__isnull=False)[:n])


def test_approving_some_proposals_creates_pre_approved_requests(manager_client, run, manager):
    chosen = _best(run, 2)

    response = manager_client.post(
        _url(run), {"approve": "selected", "proposal": [p.pk for p in chosen]}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("matching:run", args=[run.programme.slug, run.pk])
    for proposal in chosen:
        proposal.refresh_from_db()
        assert proposal.status == MatchProposal.Status.APPROVED
        assert proposal.decided_by == manager
        mentor_request = proposal.request
        assert mentor_request.status == MentorRequest.Status.PENDING
        assert mentor_request.manager_approved_at is not None
        assert mentor_request.manager_approved_by == manager
        assert (mentor_request.mentee_id, mentor_request.mentor_id) == (
            proposal.mentee_id,
            proposal.mentor_id,
        )
        assert mentor_request.score == pytest.approx(proposal.score)
        assert mentor_request.reasons == proposal.reasons
        assert Event.objects.filter(request=mentor_request).count() == 1
    others = run.proposals.exclude(pk__in=[p.pk for p in chosen])
    assert set(others.values_list("status", flat=True)) == {"proposed", "unmatched"}
    assert MentorRequest.objects.filter(manager_approved_at__isnull=False).count() == 1 + 2


def test_approving_all_approves_every_proposal_with_a_mentor(
    manager_client, run, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # the background task, eagerly
        response = manager_client.post(_url(run), {"approve": "all", "confirmed": "True"})

    assert response.status_code == 302
    matched = run.proposals.filter(mentor__isnull=False)
    assert set(matched.values_list("status", flat=True)) == {"approved"}
    assert matched.count() == run.matched_count
    assert run.proposals.filter(mentor__isnull=True, status="unmatched").count() == (
        run.unmatched_count
    )


def test_approving_twice_is_refused_and_duplicates_nothing(manager_client, run):
    chosen = _best(run, 1)
    manager_client.post(_url(run), {"approve": "selected", "proposal": [chosen[0].pk]})
    requests_before = MentorRequest.objects.count()

    response = manager_client.post(_url(run), {"approve": "selected", "proposal": [chosen[0].pk]})

    assert response.status_code == 409
    assert "Already approved" in response.content.decode()
    assert MentorRequest.objects.count() == requests_before


def test_approving_all_when_all_are_approved_is_refused(
    manager_client, run, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        manager_client.post(_url(run), {"approve": "all", "confirmed": "True"})
    requests_before = MentorRequest.objects.count()

    response = manager_client.post(_url(run), {"approve": "all", "confirmed": "True"})

    assert response.status_code == 409
    assert "no proposals left to approve" in response.content.decode()
    assert MentorRequest.objects.count() == requests_before


def test_an_approved_proposal_mixed_with_new_ones_changes_nothing(manager_client, run):
    first, second = _best(run, 2)
    manager_client.post(_url(run), {"approve": "selected", "proposal": [first.pk]})

    response = manager_client.post(
        _url(run), {"approve": "selected", "proposal": [first.pk, second.pk]}
    )

    assert response.status_code == 409
    second.refresh_from_db()
    assert second.status == MatchProposal.Status.PROPOSED


def test_proposals_of_another_run_are_refused(
    manager_client, run, programme, manager, django_capture_on_commit_callbacks
):
    other_programme = ProgrammeFactory(slug="other-run-programme")
    other_programme.managers.add(manager)
    build_cohort(other_programme)
    other = run_now(other_programme, manager, capture=django_capture_on_commit_callbacks)
    theirs = _best(other, 1)[0]
    mine = _best(run, 1)[0]

    response = manager_client.post(
        _url(run), {"approve": "selected", "proposal": [mine.pk, theirs.pk]}
    )

    assert response.status_code == 400
    assert "not part of this match run" in response.content.decode()
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.status == theirs.status == MatchProposal.Status.PROPOSED


def test_an_unmatched_proposal_cannot_be_approved(manager_client, run):
    unmatched = run.proposals.filter(mentor__isnull=True).first()

    response = manager_client.post(_url(run), {"approve": "selected", "proposal": [unmatched.pk]})

    assert response.status_code == 409
    assert not MentorRequest.objects.filter(mentee=unmatched.mentee).exists()


def test_selecting_nothing_shows_the_error_summary(manager_client, run):
    response = manager_client.post(_url(run), {"approve": "selected"})

    assert response.status_code == 400
    assert "Select at least one proposal to approve" in response.content.decode()
    assert 'href="#id_proposal"' in response.content.decode()


def test_garbage_ids_are_a_bad_request(manager_client, run):
    response = manager_client.post(_url(run), {"approve": "selected", "proposal": ["x"]})

    assert response.status_code == 400
    assert not run.proposals.filter(status="approved").exists()


def test_a_rule_that_refuses_one_proposal_fails_only_that_one(manager_client, run):
    first, second = _best(run, 2)
    # Since the run, the first mentee has asked the proposed mentor themself.
    MentorRequest.objects.create(programme=run.programme, mentee=first.mentee, mentor=first.mentor)

    response = manager_client.post(
        _url(run), {"approve": "selected", "proposal": [first.pk, second.pk]}
    )

    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == MatchProposal.Status.FAILED
    assert "already has an open request" in first.message
    assert second.status == MatchProposal.Status.APPROVED
    page = manager_client.get(response["Location"]).content.decode()
    assert "1 proposal could not be approved" in page
    assert "already has an open request" in page


def test_a_mentor_who_filled_up_since_the_run_is_not_overbooked(run, manager):
    proposals = list(run.proposals.filter(mentor__isnull=False))
    by_mentor: dict[int, list[MatchProposal]] = {}
    for p in proposals:
        by_mentor.setdefault(p.mentor_id, []).append(p)
    mentor_id, theirs = next((k, v) for k, v in by_mentor.items() if len(v) == 2)
    MentorshipFactory(programme=run.programme, mentor_id=mentor_id)  # takes one place

    outcome = runs.approve_proposals(run, [p.pk for p in theirs], by=manager)

    assert len(outcome.approved) == 1
    assert len(outcome.failed) == 1
    assert "has no free place" in outcome.failed[0].message


def test_a_failed_proposal_can_be_tried_again(manager_client, run, manager):
    first = _best(run, 1)[0]
    blocking = MentorRequest.objects.create(
        programme=run.programme, mentee=first.mentee, mentor=first.mentor
    )
    runs.approve_proposals(run, [first.pk], by=manager)
    blocking.status = MentorRequest.Status.WITHDRAWN
    blocking.save()

    outcome = runs.approve_proposals(run, [first.pk], by=manager)

    assert [p.pk for p in outcome.approved] == [first.pk]


def test_approving_an_unfinished_run_is_refused(programme, manager):
    queued = MatchRun.objects.create(programme=programme, method="optimal", weights={})

    with pytest.raises(InvalidTransition):
        runs.approve_proposals(queued, [1], by=manager)


def test_approve_all_first_says_what_will_happen_and_changes_nothing(manager_client, run):
    count = run.proposals.filter(status=MatchProposal.Status.PROPOSED).count()
    requests_before = MentorRequest.objects.count()

    response = manager_client.post(_url(run), {"approve": "all"})

    html = response.content.decode()
    assert response.status_code == 200
    assert f"Approve all {count} proposals?" in html
    assert 'name="confirmed" value="True"' in html
    assert MentorRequest.objects.count() == requests_before
    assert not run.proposals.filter(status=MatchProposal.Status.APPROVED).exists()
