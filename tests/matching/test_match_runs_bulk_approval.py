"""Approving many proposals in the background: a batch per transaction, progress on the run's
page, safe to click twice, to deliver twice and to crash (Celery runs eagerly here; see
tests/integration/test_bulk_approval_worker_killed.py for a real worker killed mid-way)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from matching import runs
from matching.models import BulkApproval, MatchProposal, MatchRun
from matching.runs import bulk_approval
from matching.tasks import check_match_runs
from mentorship.models import MentorRequest
from mentorship.services import NotAllowed
from tests.matching.test_match_runs_execute import build_cohort, run_now

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(programme, manager, django_capture_on_commit_callbacks) -> MatchRun:
    build_cohort(programme)
    return run_now(programme, manager, capture=django_capture_on_commit_callbacks)


@pytest.fixture
def small_batches(monkeypatch):
    """Batches of two, so the run's 7 proposals take four batches."""
    monkeypatch.setattr(bulk_approval, "BATCH_SIZE", 2)


def _approve_url(run: MatchRun) -> str:
    return reverse("matching:approve", args=[run.programme.slug, run.pk])


def _requests_of(run: MatchRun):
    return MentorRequest.objects.filter(
        programme=run.programme,
        mentee__in=run.proposals.filter(mentor__isnull=False).values("mentee"),
        manager_approved_at__isnull=False,
    )


def _assert_all_approved_once(run: MatchRun, manager) -> None:
    matched = run.proposals.filter(mentor__isnull=False)
    assert set(matched.values_list("status", flat=True)) == {MatchProposal.Status.APPROVED}
    requests = _requests_of(run)
    assert requests.count() == matched.count() == 7
    assert {(r.mentee_id, r.mentor_id) for r in requests} == {
        (p.mentee_id, p.mentor_id) for p in matched
    }
    assert set(requests.values_list("manager_approved_by", flat=True)) == {manager.pk}
    assert set(matched.values_list("request", flat=True)) == set(
        requests.values_list("pk", flat=True)
    )


def _claimed(run: MatchRun, manager) -> tuple[BulkApproval, str]:
    """A bulk approval that a worker has claimed but not yet worked on."""
    job, _ = runs.start_bulk_approval(run, by=manager)
    return job, bulk_approval._claim(job.pk)


def test_approve_all_approves_every_proposal_a_batch_at_a_time_and_reports_progress(
    manager_client, run, manager, small_batches, monkeypatch, django_capture_on_commit_callbacks
):
    seen: list[tuple[int, str]] = []
    real = bulk_approval.approve_batch

    def watched(job_id: int, claim: str) -> bool:
        more = real(job_id, claim)
        job = BulkApproval.objects.get(pk=job_id)
        seen.append((job.approved_count, job.progress))
        return more

    monkeypatch.setattr(bulk_approval, "approve_batch", watched)

    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(_approve_url(run), {"approve": "all", "confirmed": "True"})

    assert response.status_code == 302
    job = BulkApproval.objects.get()
    assert (job.status, job.total, job.approved_count, job.failed_count) == ("finished", 7, 7, 0)
    assert job.created_by == manager
    assert job.progress == "Finished: 7 of 7 proposals approved."
    assert [count for count, _ in seen] == [2, 4, 6, 7, 7]
    assert seen[0][1] == "Approving proposals: 2 of 7 proposals approved."
    assert set(
        run.proposals.filter(mentor__isnull=False).values_list("bulk_approval", flat=True)
    ) == {job.pk}
    _assert_all_approved_once(run, manager)
    page = manager_client.get(response["Location"]).content.decode()
    assert "Approving 7 proposals." in page
    assert "Finished: 7 of 7 proposals approved." in page
    assert "match-run-progress.js" not in page


def test_a_second_click_while_approving_starts_nothing_new(
    manager_client, run, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as first:
        manager_client.post(_approve_url(run), {"approve": "all", "confirmed": "True"})
    with django_capture_on_commit_callbacks() as second:
        response = manager_client.post(
            _approve_url(run), {"approve": "all", "confirmed": "True"}, follow=True
        )

    assert len(first) == 1  # one task queued
    assert second == []  # none queued the second time
    assert BulkApproval.objects.count() == 1
    assert BulkApproval.objects.get().status == BulkApproval.Status.QUEUED
    assert "already being approved. Nothing new has been started." in response.content.decode()
    assert not _requests_of(run).exists()


def test_running_the_task_twice_creates_no_duplicate_requests(
    run, manager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job, _ = runs.start_bulk_approval(run, by=manager)
    requests = set(_requests_of(run).values_list("pk", flat=True))

    again = runs.run_bulk_approval(job.pk)  # the same task delivered again

    assert again.status == BulkApproval.Status.FINISHED
    assert again.approved_count == 7
    assert set(_requests_of(run).values_list("pk", flat=True)) == requests
    _assert_all_approved_once(run, manager)


def test_a_second_task_while_a_live_worker_approves_does_nothing(run, manager, small_batches):
    job, claim = _claimed(run, manager)
    bulk_approval.approve_batch(job.pk, claim)

    second = runs.run_bulk_approval(job.pk)

    assert second.status == BulkApproval.Status.RUNNING
    assert second.claim == claim
    assert second.approved_count == 2
    assert _requests_of(run).count() == 2


def test_a_redelivered_task_after_the_worker_died_carries_on_where_it_stopped(
    run, manager, small_batches
):
    job, claim = _claimed(run, manager)
    bulk_approval.approve_batch(job.pk, claim)
    first_batch = set(_requests_of(run).values_list("pk", flat=True))
    # The worker is killed: three minutes pass without a heartbeat.
    BulkApproval.objects.filter(pk=job.pk).update(
        heartbeat_at=timezone.now() - timedelta(minutes=3)
    )

    job = runs.run_bulk_approval(job.pk)

    assert job.status == BulkApproval.Status.FINISHED
    assert (job.approved_count, job.restarts) == (7, 1)
    assert job.claim != claim
    assert first_batch <= set(_requests_of(run).values_list("pk", flat=True))
    _assert_all_approved_once(run, manager)


def test_a_crash_mid_batch_loses_only_that_batch_which_is_then_redone(
    run, manager, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(bulk_approval, "BATCH_SIZE", 3)
    real = bulk_approval.approve_one
    calls = []

    def crashing(*args, **kwargs):
        calls.append(1)
        if len(calls) == 5:  # the second proposal of the second batch
            raise RuntimeError("the database connection was lost")
        return real(*args, **kwargs)

    monkeypatch.setattr(bulk_approval, "approve_one", crashing)
    with django_capture_on_commit_callbacks(execute=True):
        job, _ = runs.start_bulk_approval(run, by=manager)

    job.refresh_from_db()
    assert job.status == BulkApproval.Status.FAILED
    assert job.progress.startswith("Approving stopped because of an unexpected error. 3 of 7")
    assert "connection was lost" in job.error
    assert job.approved_count == 3
    assert run.proposals.filter(status=MatchProposal.Status.APPROVED).count() == 3
    assert _requests_of(run).count() == 3  # nothing of the second batch was kept

    monkeypatch.setattr(bulk_approval, "approve_one", real)
    with django_capture_on_commit_callbacks(execute=True):
        again, started = runs.start_bulk_approval(run, by=manager)

    again.refresh_from_db()
    assert started and again.pk != job.pk
    assert (again.status, again.total, again.approved_count) == ("finished", 4, 4)
    _assert_all_approved_once(run, manager)


def test_a_task_hands_over_to_a_fresh_one_after_its_time_and_the_next_carries_on(
    run, manager, small_batches, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(bulk_approval, "TASK_SECONDS", 0.0)  # one batch per task

    with django_capture_on_commit_callbacks(execute=True) as queued:
        job, _ = runs.start_bulk_approval(run, by=manager)

    job.refresh_from_db()
    hand_overs = [c for c in queued if "_hand_over" in c.__qualname__]
    assert len(hand_overs) == 4  # after each batch; the last new task found nothing left
    assert (job.status, job.approved_count, job.restarts) == ("finished", 7, 0)
    _assert_all_approved_once(run, manager)


def test_the_periodic_check_hands_a_stalled_approval_to_a_new_task(
    run, manager, small_batches, django_capture_on_commit_callbacks
):
    job, claim = _claimed(run, manager)
    bulk_approval.approve_batch(job.pk, claim)
    BulkApproval.objects.filter(pk=job.pk).update(
        heartbeat_at=timezone.now() - timedelta(minutes=3)
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert check_match_runs.delay().get() == 1

    job.refresh_from_db()
    assert (job.status, job.approved_count, job.restarts) == ("finished", 7, 1)
    assert not bulk_approval.approve_batch(job.pk, claim)  # the dead worker's claim is void
    _assert_all_approved_once(run, manager)


def test_a_live_approval_is_left_alone_by_the_periodic_check(run, manager, small_batches):
    job, claim = _claimed(run, manager)
    bulk_approval.approve_batch(job.pk, claim)

    assert check_match_runs.delay().get() == 0

    job.refresh_from_db()
    assert (job.status, job.claim, job.restarts) == ("running", claim, 0)


def test_an_approval_whose_worker_keeps_dying_stops_with_a_plain_message(run, manager):
    job, claim = _claimed(run, manager)
    BulkApproval.objects.filter(pk=job.pk).update(
        restarts=bulk_approval.MAX_RESTARTS, heartbeat_at=timezone.now() - timedelta(minutes=3)
    )

    job = runs.run_bulk_approval(job.pk)

    assert job.status == BulkApproval.Status.FAILED
    assert job.progress.startswith(
        "Approving stopped because the computer doing it stopped responding several times. "
        "0 of 7 proposals approved."
    )
    assert not _requests_of(run).exists()


def test_a_worker_whose_claim_was_taken_over_cannot_approve_another_batch(
    run, manager, small_batches
):
    job, claim = _claimed(run, manager)
    BulkApproval.objects.filter(pk=job.pk).update(claim="someone-else")

    assert bulk_approval.approve_batch(job.pk, claim) is False

    assert not _requests_of(run).exists()
    assert BulkApproval.objects.get(pk=job.pk).approved_count == 0


def test_many_ticked_proposals_are_approved_in_the_background_and_only_those(
    manager_client, run, manager, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(runs, "INLINE_LIMIT", 2)
    chosen = list(run.proposals.filter(mentor__isnull=False)[:3])

    with django_capture_on_commit_callbacks(execute=True):
        manager_client.post(
            _approve_url(run), {"approve": "selected", "proposal": [p.pk for p in chosen]}
        )

    job = BulkApproval.objects.get()
    assert job.proposal_ids == sorted(p.pk for p in chosen)
    assert (job.status, job.total, job.approved_count) == ("finished", 3, 3)
    statuses = dict(run.proposals.filter(mentor__isnull=False).values_list("pk", "status"))
    assert {pk for pk, status in statuses.items() if status == "approved"} == {p.pk for p in chosen}
    assert _requests_of(run).count() == 3


def test_a_manager_of_another_programme_cannot_approve_in_bulk(run, other_manager):
    with pytest.raises(NotAllowed):
        runs.start_bulk_approval(run, by=other_manager)

    assert not BulkApproval.objects.exists()


def test_the_page_shows_progress_while_approving_and_offers_no_second_click(
    manager_client, run, manager, small_batches
):
    job, claim = _claimed(run, manager)
    bulk_approval.approve_batch(job.pk, claim)

    page = manager_client.get(
        reverse("matching:run", args=[run.programme.slug, run.pk])
    ).content.decode()
    status = manager_client.get(
        reverse("matching:status", args=[run.programme.slug, run.pk])
    ).json()

    assert 'data-watch="approval"' in page
    assert 'aria-live="polite"' in page
    assert "Approving proposals: 2 of 7 proposals approved." in page
    assert "match-run-progress.js" in page
    assert "Approve selected" not in page and "Approve all" not in page
    assert 'name="proposal"' not in page
    assert status["approval"] == {
        "status": "running",
        "progress": "Approving proposals: 2 of 7 proposals approved.",
        "done": False,
        "total": 7,
        "approved": 2,
        "failed": 0,
    }


def test_the_page_says_approving_stopped_and_offers_to_carry_on(manager_client, run, manager):
    job, claim = _claimed(run, manager)
    bulk_approval._stop(job.pk, claim, error="boom", why=bulk_approval.UNEXPECTED)

    page = manager_client.get(
        reverse("matching:run", args=[run.programme.slug, run.pk])
    ).content.decode()

    assert "Approving did not finish" in page
    assert "Choose Approve all to carry on with the rest" in page
    assert "Approve all 7" in page
    assert "match-run-progress.js" not in page


def test_an_approval_that_finished_while_beat_looked_is_not_queued_again(
    run, manager, django_capture_on_commit_callbacks
):
    job, claim = _claimed(run, manager)
    BulkApproval.objects.filter(pk=job.pk).update(
        heartbeat_at=timezone.now() - timedelta(minutes=3)
    )
    seen_by_beat = BulkApproval.objects.get(pk=job.pk)  # stalled when beat read it
    while bulk_approval.approve_batch(job.pk, claim):  # then the slow worker finished
        pass

    with django_capture_on_commit_callbacks() as queued:
        assert bulk_approval._requeue(seen_by_beat) is False

    job.refresh_from_db()
    assert (job.status, job.claim, job.restarts) == ("finished", claim, 0)
    assert not [c for c in queued if "_requeue" in c.__qualname__]
